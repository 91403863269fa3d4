/* Running git for the gate (see git.h). */
#include "gate/git.h"
#include "process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs argv with extra environment entries; its output in *out, the
 * first line of its error output in *errtext on failure. */
static bool spawn_capture(const char *const *argv, const char *const *env_add,
			  char **out, char **errtext)
{
	struct process_output po = { 0 };
	bool ok = process_run(NULL, argv, env_add, &po);

	if (out)
		*out = po.out ? po.out : xstrdup("");
	else
		free(po.out);
	if (!ok && errtext)
		*errtext = process_first_error_line(&po, argv[0]);
	free(po.err);
	return ok;
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
	path_make_parents(dest);
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
		bool mbox;
		char *o;
		if (!text) {
			*err = xasprintf("cannot read the series %s: %s",
					 series, strerror(errno));
			return false;
		}
		mbox = mail_is_mbox(text, len);
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

bool mail_is_mbox(const char *text, size_t len)
{
	return len >= 5 && !memcmp(text, "From ", 5);
}

/* The end of the line starting at p (its '\n', or end). */
static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl : end;
}

/* Adds the header line [p, e) to sb without its '\r' and the blanks at
 * either end; a folded line joins with one space. A NUL byte ends the
 * line's text. */
static void add_unfolded(struct strbuf *sb, const char *p, const char *e)
{
	const char *nul = memchr(p, '\0', (size_t)(e - p));

	if (nul)
		e = nul;
	if (e > p && e[-1] == '\r')
		e--;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (p == e)
		return;
	if (sb->len)
		sb_add(sb, " ", 1);
	sb_add(sb, p, (size_t)(e - p));
}

char *mail_subject(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	struct strbuf sb;
	bool in_subject = false, found = false;

	sb_init(&sb);
	if (mail_is_mbox(text, len)) /* the envelope line */
		p = line_end(p, end) + (line_end(p, end) < end);
	while (p < end) {
		const char *e = line_end(p, end);
		if (p == e || (e - p == 1 && *p == '\r'))
			break; /* the headers end at the first empty line */
		if (*p == ' ' || *p == '\t') {
			if (in_subject)
				add_unfolded(&sb, p, e);
		} else {
			in_subject = !found && e - p >= 8 &&
				     !strncasecmp(p, "Subject:", 8);
			if (in_subject) {
				found = true;
				add_unfolded(&sb, p + 8, e);
			}
		}
		p = e + (e < end);
	}
	if (!found) {
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

static char *subject_of(const char *mail)
{
	size_t len;
	char *text = read_file(mail, &len), *s;

	if (!text)
		return xstrdup("(unreadable)");
	s = mail_subject(text, len);
	free(text);
	return s ? s : xstrdup("(no subject)");
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
