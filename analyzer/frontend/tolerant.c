/* Tolerant mode's side of parsing (see tolerant.h): the errors a missing
 * header explains, the include directories, and the opaque types that
 * stand in for the type names the missing headers would declare. */
#include "frontend/tolerant.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Tolerant mode is for a tree whose headers are not all there: its
 * <sys/...> must never resolve to this machine's C library, so no system
 * directory is searched, and the tree's own include directory is, when
 * the file is in a FreeBSD or Linux tree. */
void tolerant_add_includes(const char *path, struct strvec *args)
{
	static const struct {
		const char *marker, *include;
	} trees[] = {
	    {"sys/dev/pci/pcivar.h", "sys"},	/* FreeBSD */
	    {"include/linux/pci.h", "include"}, /* Linux */
	};
	size_t i;

	strvec_push(args, "-nostdinc");
	for (i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		char *root = path_ancestor_with(path, trees[i].marker);
		if (root) {
			strvec_pushf(args, "-I%s/%s", root, trees[i].include);
			free(root);
			return;
		}
	}
}

static void add_name(struct strvec *names, const char *name, size_t len)
{
	char *s = xstrndup(name, len);

	/* the opaque stand-ins are named after what they stand for, which
	 * is already there */
	if (!strstr(s, "__irqcheck_opaque_") && !strvec_has(names, s) &&
	    names->n < 64)
		strvec_push(names, s);
	free(s);
}

/* The errors a missing header explains, each with the quoted name that
 * follows the text (or, for an include, the one before it). */
bool tolerant_error(CXDiagnostic d, struct strvec *unresolved)
{
	static const char *const forms[] = {
	    "unknown type name '",
	    "use of undeclared identifier '",
	    "field has incomplete type '",
	    "incomplete definition of type '",
	    "to an incomplete type '",
	    "variable has incomplete type '",
	    "array has incomplete element type '",
	    "tentative definition has type '",
	};
	CXString s = clang_getDiagnosticSpelling(d);
	const char *text = clang_getCString(s), *name = NULL, *end;
	size_t i;

	/* what an opaque stand-in cannot do (a member access through it, an
	 * arithmetic operand; a name the file itself declares later), and a
	 * definition that differs from the implicit declaration a call
	 * before it made (the prototype was in a missing header): the
	 * expression decides nothing, and there is no new name to report */
	CXFile file = NULL;
	CXString fname;
	bool ours;

	clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, NULL,
				   NULL, NULL);
	fname = clang_getFileName(file);
	ours = clang_getCString(fname) &&
	       !strcmp(clang_getCString(fname), TOLERANT_OPAQUE_HEADER);
	clang_disposeString(fname);
	if (ours || strstr(text, "__irqcheck_opaque_") ||
	    !strncmp(text, "conflicting types for '", 23)) {
		clang_disposeString(s);
		return true;
	}
	if (strstr(text, "' file not found") && text[0] == '\'')
		name = text + 1;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]) && !name; i++) {
		const char *at = strstr(text, forms[i]);
		if (at)
			name = at + strlen(forms[i]);
	}
	end = name ? strchr(name, '\'') : NULL;
	if (end)
		add_name(unresolved, name, (size_t)(end - name));
	clang_disposeString(s);
	return end != NULL;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* True when the identifier at text[at] (of len characters) stands where
 * only a type can: followed by another identifier ("X y"), by a star and
 * an identifier that ends a declarator ("X *y;", "X *y =", "X *y,"), or
 * in a cast to a pointer ("(X *)"). */
static bool in_type_position(const char *text, size_t size, size_t at,
			     size_t len)
{
	size_t p = at + len, b = at;

	while (b > 0 && isspace((unsigned char)text[b - 1]))
		b--;
	while (p < size && isspace((unsigned char)text[p]))
		p++;
	if (b > 0 && text[b - 1] == '(' && p < size && text[p] == '*') {
		while (p < size &&
		       (isspace((unsigned char)text[p]) || text[p] == '*'))
			p++;
		if (p < size && text[p] == ')')
			return true;
		p = at + len;
		while (p < size && isspace((unsigned char)text[p]))
			p++;
	}
	if (p < size && text[p] == '*') {
		p++;
		while (p < size &&
		       (isspace((unsigned char)text[p]) || text[p] == '*'))
			p++;
		if (p >= size || !ident_char(text[p]))
			return false;
		while (p < size && ident_char(text[p]))
			p++;
		while (p < size && isspace((unsigned char)text[p]))
			p++;
		return p < size && strchr(";,=)[", text[p]);
	}
	return p < size && (isalpha((unsigned char)text[p]) || text[p] == '_');
}

size_t tolerant_unknown_types(CXTranslationUnit tu, struct strvec *names)
{
	static const char unknown[] = "unknown type name '",
			  undeclared[] = "use of undeclared identifier '";
	unsigned n = clang_getNumDiagnostics(tu), i;
	size_t before = names->n;

	for (i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);
		CXString s = clang_getDiagnosticSpelling(d);
		const char *text = clang_getCString(s), *name = NULL, *end;

		if (!strncmp(text, unknown, sizeof(unknown) - 1))
			name = text + sizeof(unknown) - 1;
		else if (!strncmp(text, undeclared, sizeof(undeclared) - 1)) {
			CXFile file;
			unsigned offset;
			size_t size = 0, len;
			const char *src;
			const char *id = text + sizeof(undeclared) - 1;
			clang_getSpellingLocation(
			    clang_getDiagnosticLocation(d), &file, NULL, NULL,
			    &offset);
			src = file ? clang_getFileContents(tu, file, &size)
				   : NULL;
			len = strcspn(id, "'");
			if (src && offset + len <= size &&
			    !strncmp(src + offset, id, len) &&
			    in_type_position(src, size, offset, len))
				name = id;
		}
		end = name ? strchr(name, '\'') : NULL;
		if (end && end > name)
			add_name(names, name, (size_t)(end - name));
		clang_disposeString(s);
		clang_disposeDiagnostic(d);
	}
	return names->n - before;
}

/* An integer type by its name: the C and BSD integer typedefs
 * (uint16_t, u_int32_t, size_t, u_long, bus_addr_t). */
static bool integer_like(const char *name)
{
	static const char *const plain[] = {
	    "size_t",	  "ssize_t",	 "off_t",      "ptrdiff_t",
	    "u_char",	  "u_short",	 "u_int",      "u_long",
	    "uint",	  "ulong",	 "bus_addr_t", "bus_size_t",
	    "rman_res_t", "vm_offset_t", "vm_paddr_t", "vm_size_t",
	};
	size_t i, len = strlen(name);
	const char *p = name;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(name, plain[i]))
			return true;
	while (*p == '_')
		p++;
	if (*p == 'u')
		p += p[1] == '_' ? 2 : 1;
	if (strncmp(p, "int", 3) || len < 2 || strcmp(name + len - 2, "_t"))
		return false;
	for (p += 3; p < name + len - 2; p++)
		if (!isalnum((unsigned char)*p))
			return false;
	return true;
}

char *tolerant_opaque_header(const struct strvec *names)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	sb_adds(&sb,
		"/* irqcheck --tolerant: type names no header declared */\n");
	for (i = 0; i < names->n; i++) {
		/* a reserved name that is no integer type is one of the
		 * system headers' attribute macros (__noinline): nothing */
		if (!strncmp(names->v[i], "__", 2) &&
		    !integer_like(names->v[i]))
			sb_addf(&sb, "#define %s\n", names->v[i]);
		else if (integer_like(names->v[i]))
			sb_addf(&sb, "typedef unsigned long %s;\n",
				names->v[i]);
		else
			sb_addf(&sb,
				"typedef struct __irqcheck_opaque_%s *%s;\n",
				names->v[i], names->v[i]);
	}
	return sb_detach(&sb);
}
