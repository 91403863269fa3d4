/* A scan's parse of one file: what cannot be read is said before
 * libclang is asked, tolerant mode's opaque types, and the kernel's
 * headers shared across the scan's files (frontend/shared_headers.h). */
#include "scan.h"
#include "ast.h"
#include "frontend/shared_headers.h"
#include "frontend/tolerant.h"
#include "scan_internal.h"

#include <clang-c/Index.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void record_inclusion(CXFile included, CXSourceLocation *stack,
			     unsigned depth, CXClientData data)
{
	struct scan_file *f = data;
	CXString name;

	if (!depth)
		return; /* the main file */
	name = clang_getFileName(included);
	/* tolerant mode's generated header is no file of the tree */
	if (clang_getCString(name) &&
	    strcmp(clang_getCString(name), TOLERANT_OPAQUE_HEADER))
		strvec_push(&f->headers, clang_getCString(name));
	clang_disposeString(name);
}

/* Why a file cannot be read, or NULL: said before libclang is asked, whose
 * answer would not tell a dangling link from a parse failure. */
static char *unreadable_file(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return xasprintf("cannot read it: %s", strerror(errno));
	if (S_ISLNK(st.st_mode) && stat(path, &st))
		return errno == ENOENT
			   ? xstrdup("it is a symbolic link to a file that "
				     "does not exist")
			   : xasprintf("it is a symbolic link whose target "
				       "cannot be read (%s)",
				       strerror(errno));
	if (!S_ISREG(st.st_mode))
		return xstrdup("it is not a regular file");
	if (access(path, R_OK))
		return xasprintf("cannot read it: %s", strerror(errno));
	return NULL;
}

/* Tolerant mode: the type names the missing headers would declare become
 * opaque types, from a generated header that is never written to disk,
 * so that variables of those types, and the statements that use them,
 * are analysed. A further round takes the names the first one's errors
 * hid. The names go to the file's tolerant-mode note after what the last
 * parse still missed. Returns the translation unit to analyse. */
static CXTranslationUnit with_opaque_types(CXIndex index, struct scan_file *f,
					   unsigned options,
					   CXTranslationUnit tu)
{
	struct strvec names = {0};
	unsigned i, n;
	int round;

	for (round = 0; round < 3 && tolerant_unknown_types(tu, &names);
	     round++) {
		struct strvec args = {0};
		char *text = tolerant_opaque_header(&names);
		struct CXUnsavedFile header = {TOLERANT_OPAQUE_HEADER, text,
					       (unsigned long)strlen(text)};
		CXTranslationUnit again = NULL;
		enum CXErrorCode rc;
		size_t k;

		for (k = 0; k < f->args.n; k++)
			strvec_push(&args, f->args.v[k]);
		strvec_push(&args, "-include");
		strvec_push(&args, TOLERANT_OPAQUE_HEADER);
		rc = clang_parseTranslationUnit2(
		    index, f->path, (const char *const *)args.v, (int)args.n,
		    &header, 1, options, &again);
		free(text);
		strvec_free(&args);
		if (rc != CXError_Success || !again)
			break; /* the first parse stands */
		clang_disposeTranslationUnit(tu);
		tu = again;
	}
	if (round) {
		/* the note names what the last parse still missed, then the
		 * type names that stand in for what the headers declare */
		n = clang_getNumDiagnostics(tu);
		for (i = 0; i < n; i++) {
			CXDiagnostic d = clang_getDiagnostic(tu, i);
			if (clang_getDiagnosticSeverity(d) >=
			    CXDiagnostic_Error)
				tolerant_error(d, &f->unresolved);
			clang_disposeDiagnostic(d);
		}
		for (i = 0; i < names.n; i++)
			if (!strvec_has(&f->unresolved, names.v[i]) &&
			    f->unresolved.n < 64)
				strvec_push(&f->unresolved, names.v[i]);
	}
	strvec_free(&names);
	return tu;
}

/* f on its group's shared headers, or NULL (f->parse_alone says why): a
 * parse that fails or errs there is taken again alone, so that what a
 * file says of itself never depends on the sharing. */
static CXTranslationUnit parse_on_shared_headers(CXIndex index,
						 const struct scan_options *opt,
						 struct scan_file *f, size_t fi,
						 unsigned options,
						 const struct strvec **shared)
{
	struct strvec args = {0};
	const struct strvec *headers = NULL;
	CXTranslationUnit tu = NULL;

	f->on_shared_headers = false;
	if (f->tolerant) {
		f->parse_alone = "it is parsed in tolerant mode";
		return NULL;
	}
	if (!shared_headers_use(opt->shared_headers, fi, f->path, &args,
				&headers, &f->parse_alone))
		return NULL;
	if (clang_parseTranslationUnit2(
		index, f->path, (const char *const *)args.v, (int)args.n, NULL,
		0, options, &tu) != CXError_Success ||
	    !tu || ast_tu_has_errors(tu)) {
		if (tu)
			clang_disposeTranslationUnit(tu);
		f->parse_alone = "its parse on the shared headers failed";
		tu = NULL;
	} else {
		f->parse_alone = NULL;
		f->on_shared_headers = true;
		*shared = headers;
	}
	strvec_free(&args);
	return tu;
}

CXTranslationUnit scan_parse_file(CXIndex index, const struct scan_options *opt,
				  struct scan_file *f, size_t fi,
				  unsigned options,
				  const struct strvec **shared)
{
	CXTranslationUnit tu = NULL;
	enum CXErrorCode rc;

	*shared = NULL;
	if (f->no_flags) {
		f->parse_failed = true;
		f->first_error =
		    xstrdup("the compilation database has no entry "
			    "for this file");
		return NULL;
	}
	{
		const struct file_fault *fault =
		    isolate_fault_of(opt->isolation, f->display);
		if (fault) {
			f->parse_failed = true;
			f->fault = fault->kind;
			f->first_error = isolate_fault_text(fault);
			return NULL;
		}
	}
	f->first_error = unreadable_file(f->path);
	if (f->first_error) {
		f->parse_failed = true;
		return NULL;
	}
	if (opt->shared_headers) {
		tu =
		    parse_on_shared_headers(index, opt, f, fi, options, shared);
		if (tu)
			return tu;
	}
	rc = clang_parseTranslationUnit2(index, f->path,
					 (const char *const *)f->args.v,
					 (int)f->args.n, NULL, 0, options, &tu);
	if (rc != CXError_Success || !tu) {
		f->parse_failed = true;
		f->first_error = xasprintf("libclang could not parse it (%s)",
					   rc == CXError_Crashed ? "it crashed"
					   : rc == CXError_InvalidArguments
					       ? "it refused the arguments"
					       : "it gave no reason");
		return NULL;
	}
	if (f->tolerant)
		tu = with_opaque_types(index, f, options, tu);
	return tu;
}

void scan_record_headers(CXTranslationUnit tu, const struct strvec *shared,
			 struct scan_file *f)
{
	size_t i;

	clang_getInclusions(tu, record_inclusion, f);
	/* what the shared headers hold is included too, before the rest */
	for (i = 0; shared && i < shared->n; i++)
		if (!strvec_has(&f->headers, shared->v[i]))
			strvec_push(&f->headers, shared->v[i]);
}
