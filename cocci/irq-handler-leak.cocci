// SPDX-License-Identifier: GPL-2.0-only
/// A failing return leaves a handler attached that the function requested
/// with request_irq() or request_threaded_irq(): free it before the
/// return, with the irq and dev_id the request passed.
///
/// irqcheck fix passes each leaking return with the line of the request
/// it leaves attached, -D handlers=R1:Q1,R2:Q2 (R the return, Q the
/// request). Only where that is safe to do by hand: the request is in the
/// function and its failure leaves the function (so the handler is
/// attached whenever the return is reached after it), no label stands
/// between the two (nothing jumps to the return from a path without the
/// handler), the return is in a branch, not the function's last
/// statement, no variable of the irq or dev_id is written between them,
/// and one handler only is left at that return.
//
// Confidence: Moderate
// Options: --no-includes --include-headers
//
// Keywords: request_irq, free_irq, error path

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

# return line: request line, from -D handlers=
PENDING = {}
# request line: (irq, dev_id) texts, for the requests that qualify
REQUESTS = {}

def text_of(path):
	try:
		return open(path, encoding="latin-1").read()
	except OSError:
		return None

def line_start(text, line):
	at = 0
	for _ in range(int(line) - 1):
		at = text.index("\n", at) + 1
	return at

def names_in(expr):
	return set(re.findall(r"(?<![.>])\b[a-z_]\w*\b(?!\s*\()", expr))

def safe_between(path, q, r, irq, dev_id):
	# the request at line q leaves the function when it fails, and
	# nothing between it and the return at line r is a label or writes
	# a variable the irq or the dev_id is made of
	text = text_of(path)
	if text is None:
		return False
	start, end = line_start(text, q), line_start(text, r)
	between = text[start:end]
	semi = between.find(";")
	check = re.match(r"\s*if\s*\(", between[semi + 1:])
	if semi < 0 or check is None:
		return False
	# the condition, then its branch: a block or one statement
	rest = between[semi + 1 + check.end() - 1:]
	depth, i = 0, 0
	while i < len(rest):
		depth += {"(": 1, ")": -1}.get(rest[i], 0)
		i += 1
		if depth == 0:
			break
	branch = rest[i:].lstrip()
	if branch.startswith("{"):
		depth, j = 0, 0
		while j < len(branch):
			depth += {"{": 1, "}": -1}.get(branch[j], 0)
			j += 1
			if depth == 0:
				break
		branch = branch[:j]
	else:
		branch = branch[:branch.find(";") + 1]
	if not re.search(r"\b(return|goto)\b", branch):
		return False
	if re.search(r"(?m)^\s*\w+\s*:(?!:)", between):
		return False
	for name in names_in(irq) | names_in(dev_id):
		if re.search(r"\b" + re.escape(name) + r"\s*(=[^=]|\+\+|--)",
			     between[semi:]):
			return False
	# the return sits in a branch: a brace or an if opens before it on
	# its own line or the one above
	before = text[:end].rstrip()
	return before.endswith("{") or before.endswith(")") or \
	       before.endswith(";")

@script:python depends on patch@
handlers << virtual.handlers;
@@
for pair in handlers.split(","):
	r, q = pair.split(":")
	PENDING.setdefault(r, []).append(q)

@request depends on patch@
expression I, H, T, F, N, D;
position q;
@@
(
request_irq@q(I, H, F, N, D)
|
request_threaded_irq@q(I, H, T, F, N, D)
)

@script:python depends on request@
q << request.q;
I << request.I;
D << request.D;
@@
REQUESTS[q[0].line] = (I, D, q[0].file, q[0].current_element)

@leaking depends on patch@
expression E;
position r;
@@
return@r E;

@script:python free_it depends on leaking@
r << leaking.r;
stmt;
@@
requests = PENDING.get(r[0].line, [])
ok = len(requests) == 1 and requests[0] in REQUESTS
if ok:
	irq, dev_id, path, fn = REQUESTS[requests[0]]
	ok = (fn == r[0].current_element and
	      int(requests[0]) < int(r[0].line) and
	      safe_between(path, requests[0], r[0].line, irq, dev_id))
if not ok:
	cocci.include_match(False)
else:
	coccinelle.stmt = cocci.make_stmt("free_irq(" + irq + ", " + dev_id + ");")

@depends on free_it@
position leaking.r;
statement free_it.stmt;
expression E;
@@
+ stmt
  return@r E;
