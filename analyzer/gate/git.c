/* Running git for the gate (see git.h). */
#include "gate/git.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Runs argv with extra environment entries; captures both outputs. */
static bool spawn_capture(const char *const *argv, const char *const *env_add,
			  char **out, char **errtext)
{
	int po[2], pe[2], status;
	posix_spawn_file_actions_t fa;
	struct strvec env = { 0 };
	struct strbuf so, se;
	pid_t pid;
	size_t i;
	bool open_o = true, open_e = true;

	if (pipe(po) || pipe(pe))
		return false;
	for (i = 0; environ[i]; i++)
		strvec_push(&env, environ[i]);
	for (i = 0; env_add && env_add[i]; i++)
		strvec_push(&env, env_add[i]);
	strvec_push(&env, "LC_ALL=C");
	ARRAY_PUSH(env.v, env.n, env.cap, NULL);
	env.n--;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	posix_spawn_file_actions_addclose(&fa, po[0]);
	posix_spawn_file_actions_addclose(&fa, pe[0]);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv,
			 env.v)) {
		posix_spawn_file_actions_destroy(&fa);
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		strvec_free(&env);
		if (errtext)
			*errtext = xasprintf("cannot run %s", argv[0]);
		return false;
	}
	posix_spawn_file_actions_destroy(&fa);
	strvec_free(&env);
	close(po[1]);
	close(pe[1]);
	sb_init(&so);
	sb_init(&se);
	while (open_o || open_e) {
		struct pollfd p[2] = { { po[0], POLLIN, 0 }, { pe[0], POLLIN, 0 } };
		char buf[65536];
		ssize_t n;
		p[0].fd = open_o ? po[0] : -1;
		p[1].fd = open_e ? pe[0] : -1;
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (open_o && (p[0].revents & (POLLIN | POLLHUP))) {
			n = read(po[0], buf, sizeof(buf));
			if (n > 0)
				sb_add(&so, buf, (size_t)n);
			else
				open_o = false;
		}
		if (open_e && (p[1].revents & (POLLIN | POLLHUP))) {
			n = read(pe[0], buf, sizeof(buf));
			if (n > 0)
				sb_add(&se, buf, (size_t)n);
			else
				open_e = false;
		}
	}
	close(po[0]);
	close(pe[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (out)
		*out = so.buf ? sb_detach(&so) : xstrdup("");
	else
		sb_release(&so);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		sb_release(&se);
		return true;
	}
	if (errtext) {
		const char *t = se.buf ? se.buf : "";
		const char *nl = strchr(t, '\n');
		*errtext = nl ? xstrndup(t, (size_t)(nl - t)) : xstrdup(t);
	}
	sb_release(&se);
	return false;
}

bool git_run(const char *dir, const char *const *args, char **out,
	     char **err)
{
	struct strvec argv = { 0 };
	size_t i;
	bool ok;

	strvec_push(&argv, "git");
	strvec_push(&argv, "-C");
	strvec_push(&argv, dir);
	for (i = 0; args[i]; i++)
		strvec_push(&argv, args[i]);
	ARRAY_PUSH(argv.v, argv.n, argv.cap, NULL);
	argv.n--;
	ok = spawn_capture((const char *const *)argv.v, NULL, out, err);
	strvec_free(&argv);
	return ok;
}

static char *first_line(char *text)
{
	if (text)
		text[strcspn(text, "\n")] = '\0';
	return text;
}

char *git_toplevel(const char *dir)
{
	const char *args[] = { "rev-parse", "--show-toplevel", NULL };
	char *out = NULL;

	if (!git_run(dir, args, &out, NULL)) {
		free(out);
		return NULL;
	}
	return first_line(out);
}

char *git_commit(const char *repo, const char *rev)
{
	char *spec = xasprintf("%s^{commit}", rev);
	const char *args[] = { "rev-parse", "--verify", "--quiet", spec, NULL };
	char *out = NULL;
	bool ok = git_run(repo, args, &out, NULL);

	free(spec);
	if (!ok || !out || !*out) {
		free(out);
		return NULL;
	}
	return first_line(out);
}

bool git_changed_paths(const char *repo, const char *base, const char *head,
		       struct strvec *out, char **err)
{
	const char *args[] = { "diff", "--name-only", "--no-renames", base,
			       head, NULL };
	char *text = NULL, *line, *save = NULL;

	if (!git_run(repo, args, &text, err)) {
		free(text);
		return false;
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		strvec_push(out, line);
	free(text);
	return true;
}

static void make_parents(const char *path)
{
	char *copy = xstrdup(path), *p;

	for (p = copy + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(copy, 0755);
			*p = '/';
		}
	free(copy);
}

bool git_show_to_file(const char *repo, const char *rev, const char *path,
		      const char *dest)
{
	char *spec = xasprintf("%s:%s", rev, path);
	const char *args[] = { "show", spec, NULL };
	char *out = NULL;
	bool ok = git_run(repo, args, &out, NULL);
	FILE *f;

	free(spec);
	if (!ok) {
		free(out);
		return false;
	}
	make_parents(dest);
	f = fopen(dest, "w");
	ok = f && fwrite(out, 1, strlen(out), f) == strlen(out);
	if (f)
		ok &= fclose(f) == 0;
	free(out);
	return ok;
}

/* The patch files of a series: a directory's files in name order, or the
 * mails of an mbox split with git mailsplit into tmp. */
static bool series_files(const char *repo, const char *series,
			 const char *tmp, struct strvec *out, char **err)
{
	const char *dir = series;
	DIR *d;
	struct dirent *e;

	if (!path_is_dir(series)) {
		size_t len;
		char *text = read_file(series, &len);
		bool mbox = text && !strncmp(text, "From ", 5);
		char *o;
		free(text);
		if (!mbox) { /* one patch, as format-patch writes it */
			strvec_push(out, series);
			return true;
		}
		o = xasprintf("-o%s", tmp);
		const char *args[] = { "mailsplit", o, series, NULL };
		bool ok = git_run(repo, args, NULL, err);
		free(o);
		if (!ok)
			return false;
		dir = tmp;
	}
	d = opendir(dir);
	if (!d) {
		*err = xasprintf("cannot read the series %s", series);
		return false;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			strvec_push(out, e->d_name);
	closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof(char *), compare_string_ptrs);
	{
		size_t i;
		for (i = 0; i < out->n; i++) {
			char *full = path_join(dir, out->v[i]);
			free(out->v[i]);
			out->v[i] = full;
		}
	}
	if (!out->n)
		*err = xasprintf("the series %s holds no patch", series);
	return out->n > 0;
}

static char *subject_of(const char *mail)
{
	size_t len;
	char *text = read_file(mail, &len), *p, *s;

	if (!text)
		return xstrdup("(unreadable)");
	p = strstr(text, "\nSubject: ");
	if (!p && !strncmp(text, "Subject: ", 9))
		p = text - 1;
	s = p ? xstrndup(p + 10, strcspn(p + 10, "\n")) : xstrdup("(no subject)");
	free(text);
	return s;
}

char *git_apply_series(const char *repo, const char *base, const char *series,
		       char **err)
{
	char tmpl[] = "/tmp/irqcheck-series-XXXXXX";
	char *tmp = mkdtemp(tmpl), *index, *env_index, *commit = xstrdup(base);
	struct strvec patches = { 0 };
	size_t i;
	bool ok;

	if (!tmp) {
		*err = xasprintf("cannot make a scratch directory: %s",
				 strerror(errno));
		free(commit);
		return NULL;
	}
	index = path_join(tmp, "index");
	env_index = xasprintf("GIT_INDEX_FILE=%s", index);
	ok = series_files(repo, series, tmp, &patches, err);
	{
		const char *argv[] = { "git", "-C", repo, "read-tree", base, NULL };
		const char *env[] = { env_index, NULL };
		ok = ok && spawn_capture(argv, env, NULL, err);
	}
	for (i = 0; ok && i < patches.n; i++) {
		char *msgfile = path_join(tmp, "msg"), *patchfile = path_join(tmp, "patch");
		char *info = NULL, *tree = NULL, *next = NULL, *why = NULL;
		const char *env[] = { env_index, NULL };
		/* message and patch of the mail */
		{
			char *cmd_in = patches.v[i];
			const char *argv[] = { "sh", "-c",
					       "git mailinfo \"$1\" \"$2\" < \"$3\"",
					       "sh", msgfile, patchfile, cmd_in, NULL };
			ok = spawn_capture(argv, NULL, &info, &why);
		}
		{
			const char *argv[] = { "git", "-C", repo, "apply", "--cached",
					       patchfile, NULL };
			ok = ok && spawn_capture(argv, env, NULL, &why);
		}
		if (!ok) {
			char *subject = subject_of(patches.v[i]);
			*err = xasprintf("patch %zu of the series (\"%s\") does not "
					 "apply: %s", i + 1, subject,
					 why ? why : "not a patch");
			free(subject);
		} else {
			const char *wt[] = { "git", "-C", repo, "write-tree", NULL };
			ok = spawn_capture(wt, env, &tree, err);
		}
		if (ok) {
			const char *argv[] = { "git", "-C", repo, "-c",
					       "user.name=irqcheck", "-c",
					       "user.email=irqcheck@localhost",
					       "commit-tree", first_line(tree),
					       "-p", commit, "-F", msgfile, NULL };
			ok = spawn_capture(argv, NULL, &next, err);
			if (ok) {
				free(commit);
				commit = xstrdup(first_line(next));
			}
		}
		free(info);
		free(tree);
		free(next);
		free(why);
		free(msgfile);
		free(patchfile);
	}
	{
		const char *argv[] = { "rm", "-rf", tmp, NULL };
		spawn_capture(argv, NULL, NULL, NULL);
	}
	strvec_free(&patches);
	free(index);
	free(env_index);
	if (!ok) {
		free(commit);
		return NULL;
	}
	return commit;
}

char *git_diff_path(const char *repo, const char *base, const char *head,
		    const char *path)
{
	const char *args[] = { "diff", "-U3", base, head, "--", path, NULL };
	char *out = NULL;

	if (!git_run(repo, args, &out, NULL)) {
		free(out);
		return NULL;
	}
	return out;
}
