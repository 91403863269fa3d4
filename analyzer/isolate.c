/* Per-file isolation (see isolate.h): the parent that watches, and what
 * the child tells it. Messages on the pipe are a letter and a text ended
 * by a NUL: "B<seconds>" the budget, "S<path>" a file started, "E<path>"
 * it ended. */
#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* How often a command may be run again before the parent gives up. */
#define MAX_TRIES 64

/* ---- the child's side -------------------------------------------------- */

static void report(struct isolation *iso, char kind, const char *text)
{
	size_t len = strlen(text);
	char *msg;
	ssize_t done = 0;

	if (!iso || iso->report_fd < 0)
		return;
	msg = xcalloc(len + 2, 1);
	msg[0] = kind;
	memcpy(msg + 1, text, len + 1);
	pthread_mutex_lock(&iso->report_lock);
	while ((size_t)done < len + 2) {
		ssize_t n = write(iso->report_fd, msg + done, len + 2 - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* the parent is gone: nothing to tell */
		done += n;
	}
	pthread_mutex_unlock(&iso->report_lock);
	free(msg);
}

void isolate_set_budget(struct isolation *iso, unsigned seconds)
{
	char text[24];

	snprintf(text, sizeof(text), "%u", seconds);
	report(iso, 'B', text);
}

void isolate_file_started(struct isolation *iso, const char *path)
{
	report(iso, 'S', path);
}

void isolate_file_ended(struct isolation *iso, const char *path)
{
	report(iso, 'E', path);
}

const struct file_fault *isolate_fault_of(const struct isolation *iso,
					  const char *path)
{
	size_t i;

	for (i = 0; iso && i < iso->nfaults; i++)
		if (!strcmp(iso->faults[i].path, path))
			return &iso->faults[i];
	return NULL;
}

bool isolate_alone(const struct isolation *iso, const char *path)
{
	return iso && strvec_has(&iso->alone, path);
}

const char *isolate_fault_name(enum file_fault_kind kind)
{
	return kind == FAULT_CRASHED	 ? "crashed"
	       : kind == FAULT_TIMED_OUT ? "timed-out"
					 : NULL;
}

char *isolate_fault_text(const struct file_fault *f)
{
	if (f->kind == FAULT_TIMED_OUT)
		return xasprintf(
		    "not analysed: it took longer than the %u s "
		    "allowed for one file (--file-timeout) and was "
		    "stopped; the rest of the scan went on",
		    f->seconds);
	return xasprintf("not analysed: the analyser crashed on it (%s); the "
			 "rest of the scan went on without it",
			 f->signal ? strsignal(f->signal)
				   : "it ended in the middle of the file");
}

/* ---- the parent's side ------------------------------------------------- */

struct in_flight {
	char *path;
	double since;
};

struct watch {
	struct in_flight *files;
	size_t n, cap;
	unsigned budget;
	struct strbuf pending; /* an unfinished message */
	int forwarded;	       /* a signal passed on to the child */
	char *timed_out;       /* the file the budget stopped */
};

static void watch_message(struct watch *w, const char *msg)
{
	size_t i;

	switch (msg[0]) {
	case 'B':
		w->budget = (unsigned)strtoul(msg + 1, NULL, 10);
		break;
	case 'S': {
		struct in_flight f = {xstrdup(msg + 1), monotonic_seconds()};
		ARRAY_PUSH(w->files, w->n, w->cap, f);
		break;
	}
	case 'E':
		for (i = 0; i < w->n; i++)
			if (!strcmp(w->files[i].path, msg + 1)) {
				free(w->files[i].path);
				w->files[i] = w->files[--w->n];
				break;
			}
		break;
	}
}

/* Reads what the child said; false at the end of the pipe. */
static bool watch_read(struct watch *w, int fd)
{
	char buf[8192];
	ssize_t n = read(fd, buf, sizeof(buf));
	size_t start = 0, i;

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	for (i = 0; i < (size_t)n; i++) {
		if (buf[i])
			continue;
		sb_add(&w->pending, buf + start, i - start);
		watch_message(w, w->pending.buf);
		w->pending.len = 0;
		w->pending.buf[0] = '\0';
		start = i + 1;
	}
	sb_add(&w->pending, buf + start, (size_t)n - start);
	return true;
}

/* The file that outlived the budget, if one did. */
static const char *over_budget(const struct watch *w)
{
	double now = monotonic_seconds();
	size_t i;

	for (i = 0; w->budget && i < w->n; i++)
		if (now - w->files[i].since > w->budget)
			return w->files[i].path;
	return NULL;
}

/* Watches the child until it ends; returns its wait status. */
static int watch_child(pid_t pid, int pipe_fd, int signal_fd, struct watch *w)
{
	bool open = true;
	int status;

	while (open) {
		struct pollfd p[2] = {{pipe_fd, POLLIN, 0},
				      {signal_fd, POLLIN, 0}};
		const char *late;
		if (poll(p, 2, 500) < 0 && errno != EINTR)
			break;
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(signal_fd, &si, sizeof(si)) == sizeof(si)) {
				w->forwarded = (int)si.ssi_signo;
				kill(pid, w->forwarded);
			}
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			open = watch_read(w, pipe_fd);
		late = over_budget(w);
		if (late && !w->timed_out && !w->forwarded) {
			w->timed_out = xstrdup(late);
			kill(pid, SIGKILL);
		}
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static void add_fault(struct isolation *iso, const char *path,
		      enum file_fault_kind kind, int signal, unsigned seconds)
{
	struct file_fault f = {xstrdup(path), kind, signal, seconds};

	ARRAY_PUSH(iso->faults, iso->nfaults, iso->cap, f);
}

static void watch_release(struct watch *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->files[i].path);
	free(w->files);
	sb_release(&w->pending);
	free(w->timed_out);
	memset(w, 0, sizeof(*w));
}

static void isolation_release(struct isolation *iso)
{
	size_t i;

	for (i = 0; i < iso->nfaults; i++)
		free(iso->faults[i].path);
	free(iso->faults);
	strvec_free(&iso->alone);
	pthread_mutex_destroy(&iso->report_lock);
	if (iso->scratch)
		path_remove_tree(iso->scratch);
	free(iso->scratch);
}

/* After a try ended in a crash or a timeout: true when the next try has
 * something new to go on. */
static bool learn(struct isolation *iso, const char *name, struct watch *w,
		  int status)
{
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	size_t i;

	if (w->timed_out) {
		fprintf(stderr,
			"irqcheck %s: %s took longer than %u s; "
			"scanning again without it.\n",
			name, w->timed_out, w->budget);
		add_fault(iso, w->timed_out, FAULT_TIMED_OUT, 0, w->budget);
		return true;
	}
	if (w->n == 1) {
		fprintf(stderr,
			"irqcheck %s: the analyser crashed on %s (%s); "
			"scanning again without it.\n",
			name, w->files[0].path,
			sig ? strsignal(sig) : "it ended mid-file");
		add_fault(iso, w->files[0].path, FAULT_CRASHED, sig, 0);
		return true;
	}
	for (i = 0; i < w->n; i++)
		if (!strvec_has(&iso->alone, w->files[i].path))
			break;
	if (i == w->n)
		return false;
	fprintf(stderr,
		"irqcheck %s: the analyser crashed (%s) with %zu files "
		"in flight; scanning again, those one at a time.\n",
		name, sig ? strsignal(sig) : "it ended mid-file", w->n);
	for (i = 0; i < w->n; i++)
		if (!strvec_has(&iso->alone, w->files[i].path))
			strvec_push(&iso->alone, w->files[i].path);
	return true;
}

/* The parent ends as the child did when a signal from outside ended it. */
static int end_like(int sig, const sigset_t *old_mask)
{
	signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, old_mask, NULL);
	raise(sig);
	return 128 + sig;
}

int isolate_command(int (*run)(int argc, char **argv, struct isolation *iso),
		    const char *name, int argc, char **argv)
{
	struct isolation iso = {.report_fd = -1};
	const char *off = getenv("IRQCHECK_NO_ISOLATION");
	sigset_t forward, old_mask;
	int signal_fd, tries, result = 2;
	pid_t parent = getpid();

	pthread_mutex_init(&iso.report_lock, NULL);
	if (off && *off && strcmp(off, "0")) {
		result = run(argc, argv, &iso);
		isolation_release(&iso);
		return result;
	}
	/* NULL when it cannot be made: the worker makes its own */
	iso.scratch = scratch_dir_make(NULL, name);
	sigemptyset(&forward);
	sigaddset(&forward, SIGINT);
	sigaddset(&forward, SIGTERM);
	sigaddset(&forward, SIGHUP);
	sigprocmask(SIG_BLOCK, &forward, &old_mask);
	signal_fd = signalfd(-1, &forward, SFD_CLOEXEC);
	for (tries = 0; tries < MAX_TRIES; tries++) {
		struct watch w = {0};
		int p[2], status;
		pid_t pid;

		if (signal_fd < 0 || pipe2(p, O_CLOEXEC)) {
			fprintf(stderr,
				"irqcheck %s: cannot set up the worker "
				"process: %s.\n",
				name, strerror(errno));
			break;
		}
		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			fprintf(stderr,
				"irqcheck %s: cannot start the worker "
				"process: %s.\n",
				name, strerror(errno));
			close(p[0]);
			close(p[1]);
			break;
		}
		if (pid == 0) {
			/* killed with its parent (kill -9 irqcheck): never
			 * an orphan that goes on writing the store */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(2);
			close(p[0]);
			close(signal_fd);
			sigprocmask(SIG_SETMASK, &old_mask, NULL);
			iso.report_fd = p[1];
			exit(output_written(run(argc, argv, &iso)));
		}
		close(p[1]);
		sb_init(&w.pending);
		status = watch_child(pid, p[0], signal_fd, &w);
		close(p[0]);
		if (status == -1) {
			fprintf(stderr,
				"irqcheck %s: lost the worker process: "
				"%s.\n",
				name, strerror(errno));
			watch_release(&w);
			break;
		}
		/* ended by a signal from outside, or by a reader that went
		 * away (irqcheck scan | head): irqcheck ends the same way */
		if (WIFSIGNALED(status) &&
		    ((w.forwarded && WTERMSIG(status) == w.forwarded) ||
		     WTERMSIG(status) == SIGPIPE)) {
			watch_release(&w);
			isolation_release(&iso);
			close(signal_fd);
			return end_like(WTERMSIG(status), &old_mask);
		}
		if (!w.timed_out && !WIFSIGNALED(status) && !w.n) {
			result = WEXITSTATUS(status);
			watch_release(&w);
			break;
		}
		if (!learn(&iso, name, &w, status)) {
			fprintf(stderr,
				"irqcheck %s: the analyser crashed (%s) "
				"outside the analysis of any one file.\n",
				name,
				WIFSIGNALED(status)
				    ? strsignal(WTERMSIG(status))
				    : "it ended mid-file");
			watch_release(&w);
			break;
		}
		watch_release(&w);
	}
	if (tries == MAX_TRIES)
		fprintf(stderr,
			"irqcheck %s: gave up after %d tries, each "
			"ended by a crash or a timeout.\n",
			name, MAX_TRIES);
	if (signal_fd >= 0)
		close(signal_fd);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	isolation_release(&iso);
	return result;
}
