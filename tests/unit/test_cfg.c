/* Unit tests of the CFG builder on small functions parsed from memory:
 * short-circuit conditions, constant loop conditions, switch, goto
 * ladders, statement expressions and calls that never return (GNU
 * attribute, through a macro or not, and C11 _Noreturn). */
#include <clang-c/Index.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "cfg/cfg.h"
#include "unit.h"

static const char source[] =
	"void panic(const char *) __attribute__((noreturn));\n"
	"int f(int);\n"
	"int and_or(int a, int b) { if (a && (b || !a)) return 1; return 0; }\n"
	"int do_once(int a) { do { f(a); } while (0); return 0; }\n"
	"int sw(int a) { switch (a) { case 1: f(1); case 2: f(2); break;\n"
	"  default: f(3); } return 0; }\n"
	"int ladder(int a) { if (f(a)) goto err; if (f(a + 1)) goto err2;\n"
	"  return 0; err2: f(9); err: return -1; }\n"
	"int dies(int a) { if (a) panic(\"x\"); return 0; }\n"
	"#define __noreturn __attribute__((__noreturn__))\n"
	"__noreturn void die_macro(void);\n"
	"_Noreturn void die_c11(void);\n"
	"void warn_noreturn(void) __attribute__((cold));\n"
	"int dies_three(int a) { if (a == 1) die_macro(); if (a == 2)\n"
	"  die_c11(); if (a == 3) warn_noreturn(); return 0; }\n"
	"int stmt_expr(int a) { int x = ({ int t = f(a); t + 1; }); return x; }\n"
	"int loop(int n) { int i; for (i = 0; i < n; i++) { if (f(i)) continue;\n"
	"  if (f(i + 1)) break; } while (n--) f(n); return 0; }\n";

struct found {
	const char *name;
	CXCursor body;
};

static enum CXChildVisitResult find_fn(CXCursor c, CXCursor parent,
				       CXClientData data)
{
	struct found *f = data;
	CXString s = clang_getCursorSpelling(c);

	if (clang_getCursorKind(c) == CXCursor_FunctionDecl &&
	    clang_isCursorDefinition(c) && !strcmp(clang_getCString(s), f->name)) {
		CXCursor *kids;
		size_t n = ast_children(c, &kids);
		f->body = kids[n - 1];
		free(kids);
	}
	clang_disposeString(s);
	return CXChildVisit_Continue;
}

static size_t count(struct cfg *cfg, enum cfg_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < cfg->n; i++)
		n += cfg->nodes[i].kind == kind;
	return n;
}

static struct cfg *build(struct cfg_env *env, CXTranslationUnit tu,
			 const char *name)
{
	struct found f = { name, clang_getNullCursor() };

	clang_visitChildren(clang_getTranslationUnitCursor(tu), find_fn, &f);
	return cfg_build(env, f.body);
}

/* Whether the exit or a return is reachable from the entry. */
static bool reaches(struct cfg *cfg, enum cfg_kind kind)
{
	char *seen = calloc(cfg->n, 1);
	int *stack = calloc(cfg->n + 1, sizeof(int));
	size_t sp = 0, i;
	bool hit = false;

	stack[sp++] = cfg->entry;
	while (sp) {
		int n = stack[--sp];
		if (seen[n])
			continue;
		seen[n] = 1;
		if (cfg->nodes[n].kind == kind)
			hit = true;
		for (i = 0; i < cfg->nodes[n].nsucc; i++)
			if (sp < cfg->n)
				stack[sp++] = cfg->nodes[n].succ[i];
	}
	free(seen);
	free(stack);
	return hit;
}

int main(int argc, char **argv)
{
	CXIndex index = clang_createIndex(0, 0);
	struct CXUnsavedFile file = { "t.c", source, sizeof(source) - 1 };
	const char *args[] = { "-std=gnu11" };
	CXTranslationUnit tu = NULL;
	char *err = NULL, *path;
	struct ruleset *rs;
	struct arena arena = { 0 };
	struct cfg_env env;
	struct cfg *g;
	size_t i;

	path = xasprintf("%s/rules/linux-pci.rules", argc > 1 ? argv[1] : ".");
	rs = ruleset_load(path, &err);
	free(path);
	CHECK(rs != NULL);
	if (!rs)
		return unit_finish();
	clang_parseTranslationUnit2(index, "t.c", args, 1, &file, 1, 0, &tu);
	CHECK(tu != NULL);
	if (!tu)
		return unit_finish();
	cfg_env_init(&env, tu, rs, &arena);

	g = build(&env, tu, "and_or");
	CHECK(count(g, CFG_COND) == 3); /* a, b, !a */
	CHECK(count(g, CFG_RETURN) == 2);
	cfg_free(g);

	g = build(&env, tu, "do_once");
	CHECK(count(g, CFG_COND) == 0); /* while (0) is folded */
	CHECK(count(g, CFG_STMT) == 1);
	cfg_free(g);

	g = build(&env, tu, "sw");
	CHECK(count(g, CFG_SWITCH) == 1);
	for (i = 0; i < g->n; i++)
		if (g->nodes[i].kind == CFG_SWITCH)
			CHECK(g->nodes[i].nsucc == 3); /* 1, 2, default */
	cfg_free(g);

	g = build(&env, tu, "ladder");
	CHECK(count(g, CFG_RETURN) == 2);
	CHECK(count(g, CFG_COND) == 2);
	CHECK(reaches(g, CFG_RETURN));
	cfg_free(g);

	g = build(&env, tu, "dies");
	CHECK(count(g, CFG_NORETURN) == 1);
	cfg_free(g);

	/* a macro-written GNU attribute and C11's keyword end paths; a
	 * name that says noreturn does not */
	g = build(&env, tu, "dies_three");
	CHECK(count(g, CFG_NORETURN) == 2);
	cfg_free(g);

	g = build(&env, tu, "stmt_expr");
	/* the statement expression's body is laid out before the init */
	CHECK(count(g, CFG_STMT) >= 3);
	cfg_free(g);

	g = build(&env, tu, "loop");
	CHECK(count(g, CFG_COND) == 4); /* i < n, f(i), f(i + 1), n-- */
	CHECK(reaches(g, CFG_RETURN));
	cfg_free(g);

	cfg_env_release(&env);
	arena_free(&arena);
	clang_disposeTranslationUnit(tu);
	clang_disposeIndex(index);
	ruleset_free(rs);
	return unit_finish();
}
