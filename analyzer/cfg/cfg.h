/* Control-flow graph of one function, built from libclang's cursor tree.
 * Nodes hold the cursor they evaluate; conditions with && || ! ?: are split
 * into one branch node per operand, GNU statement expressions are laid out
 * before the expression that contains them, and calls that never return
 * end their path. */
#ifndef IRQCHECK_CFG_H
#define IRQCHECK_CFG_H

#include <clang-c/Index.h>
#include <search.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ruleset.h"
#include "util.h"

enum cfg_kind {
	CFG_NOP,      /* join point, label or loop head */
	CFG_STMT,     /* evaluate an expression or declaration */
	CFG_COND,     /* evaluate expr; succ[0] when true, succ[1] when false */
	CFG_SWITCH,   /* evaluate expr; one successor per case */
	CFG_RETURN,   /* return statement; expr is the ReturnStmt */
	CFG_EXIT,     /* falling off the end of the function */
	CFG_NORETURN, /* a call that never returns: the path ends here */
};

/* What a switch's successor is entered with. */
enum cfg_case_kind {
	CFG_CASE_VALUE,	  /* case_value */
	CFG_CASE_DEFAULT, /* none of the switch's CFG_CASE_VALUE values */
	CFG_CASE_UNKNOWN, /* a label whose value is not a constant */
};

struct cfg_node {
	enum cfg_kind kind;
	bool is_label; /* a goto target */
	CXCursor expr;
	int *succ;
	size_t nsucc, cap_succ;
	/* CFG_SWITCH: for each successor, what enters it */
	long long *case_value;
	uint8_t *case_kind; /* enum cfg_case_kind */
};

struct cfg {
	struct cfg_node *nodes;
	size_t n, cap;
	int entry;
	int exit;
};

/* What the builder needs to know about calls: which never return. The
 * cache maps a callee name to whether it never returns (per translation
 * unit; keys live in the arena). */
struct cfg_env {
	CXTranslationUnit tu;
	const struct ruleset *rules;
	struct hsearch_data noreturn_cache;
	size_t cache_used, cache_cap;
	struct arena *arena;
	/* operators of the binary and unary expressions asked about: the
	 * engine asks again at every visit of a node, and each answer
	 * tokenizes */
	struct cached_operator {
		CXCursor cursor;
		const char *op; /* NULL: free slot */
	} *operators;
	size_t noperators, cap_operators; /* cap: a power of two */
};

void cfg_env_init(struct cfg_env *env, CXTranslationUnit tu,
		  const struct ruleset *rules, struct arena *arena);
void cfg_env_release(struct cfg_env *env);
bool cfg_call_is_noreturn(struct cfg_env *env, CXCursor call);
/* ast_operator(), remembered for the translation unit. */
const char *cfg_operator(struct cfg_env *env, CXCursor c);

/* Builds the CFG of a function body (a CompoundStmt). */
struct cfg *cfg_build(struct cfg_env *env, CXCursor body);
void cfg_free(struct cfg *cfg);

/* Calls cb on every call expression in expr, in evaluation order (operands
 * before the call), without entering GNU statement expressions, which the
 * CFG lays out as their own nodes. cb returns false to stop. */
typedef bool (*cfg_call_cb)(CXCursor call, void *data);
void cfg_visit_calls(CXCursor expr, cfg_call_cb cb, void *data);

#endif
