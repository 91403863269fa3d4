/* Running other programs (see process.h). */
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void drain(int fd_out, int fd_err, struct strbuf *so, struct strbuf *se)
{
	bool open_o = true, open_e = true;

	while (open_o || open_e) {
		struct pollfd p[2] = { { open_o ? fd_out : -1, POLLIN, 0 },
				       { open_e ? fd_err : -1, POLLIN, 0 } };
		char buf[65536];
		ssize_t n;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (open_o && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(fd_out, buf, sizeof(buf));
			if (n > 0)
				sb_add(so, buf, (size_t)n);
			else
				open_o = false;
		}
		if (open_e && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(fd_err, buf, sizeof(buf));
			if (n > 0)
				sb_add(se, buf, (size_t)n);
			else
				open_e = false;
		}
	}
}

bool process_run(const char *dir, const char *const *argv,
		 const char *const *env_add, struct process_output *po)
{
	int pout[2], perr[2], status;
	posix_spawn_file_actions_t fa;
	struct strvec env = { 0 };
	struct strbuf so, se;
	pid_t pid;
	size_t i;
	bool spawned;

	memset(po, 0, sizeof(*po));
	po->status = -1;
	/* close-on-exec: a child another thread spawns meanwhile must not
	 * hold these open (their reader would wait for it to end) */
	if (pipe2(pout, O_CLOEXEC))
		return false;
	if (pipe2(perr, O_CLOEXEC)) {
		close(pout[0]);
		close(pout[1]);
		return false;
	}
	for (i = 0; environ[i]; i++)
		strvec_push(&env, environ[i]);
	for (i = 0; env_add && env_add[i]; i++)
		strvec_push(&env, env_add[i]);
	strvec_push(&env, "LC_ALL=C");
	ARRAY_PUSH(env.v, env.n, env.cap, NULL);
	env.n--;
	posix_spawn_file_actions_init(&fa);
	if (dir)
		posix_spawn_file_actions_addchdir_np(&fa, dir);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	posix_spawn_file_actions_addclose(&fa, pout[0]);
	posix_spawn_file_actions_addclose(&fa, perr[0]);
	spawned = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
			       env.v) == 0;
	posix_spawn_file_actions_destroy(&fa);
	strvec_free(&env);
	close(pout[1]);
	close(perr[1]);
	if (!spawned) {
		close(pout[0]);
		close(perr[0]);
		return false;
	}
	sb_init(&so);
	sb_init(&se);
	drain(pout[0], perr[0], &so, &se);
	close(pout[0]);
	close(perr[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	po->out = so.buf ? sb_detach(&so) : xstrdup("");
	po->err = se.buf ? sb_detach(&se) : xstrdup("");
	if (WIFEXITED(status))
		po->status = WEXITSTATUS(status);
	return po->status == 0;
}

char *process_first_error_line(const struct process_output *po,
			       const char *program)
{
	const char *t = po->err ? po->err : "";

	if (po->status == -1 && !*t)
		return xasprintf("cannot run %s", program);
	while (*t == '\n')
		t++;
	return xstrndup(t, strcspn(t, "\n"));
}

bool process_in_path(const char *program)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	bool found = false;

	if (strchr(program, '/'))
		return access(program, X_OK) == 0;
	copy = xstrdup(path ? path : "/usr/bin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *p = path_join(*dir ? dir : ".", program);
		found = access(p, X_OK) == 0;
		free(p);
	}
	free(copy);
	return found;
}
