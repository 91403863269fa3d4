// SPDX-License-Identifier: GPL-2.0-only
/// After pcim_enable_device(), vectors from pci_alloc_irq_vectors(),
/// pci_enable_msi() and pci_enable_msix_range() are released by devres
/// only because of the PCI core's hybrid rule, which is being removed:
/// the driver relies on it.
///
/// With -D managed (the tree has pcim_alloc_irq_vectors()): allocate them
/// with pcim_alloc_irq_vectors() (or the _affinity variant), which says
/// so and keeps working after the change.
///
/// Without it: register a devres action that releases them, right after
/// the allocation (and its failure check when it has one). It is right in
/// both worlds: while the hybrid rule stands, devres (which undoes in
/// reverse order) runs the action before the PCI core's own release,
/// registered by the allocation, and that one then finds nothing enabled;
/// once the rule goes it is the only release. It is registered after the
/// MSI core's device data (set up by the allocation), so it runs before
/// that is freed, and before any devm_request_irq() handler on the
/// vectors, so it runs after they are freed. The action's failure takes
/// the way the allocation's own failure takes: the return (return; in a
/// void function, return false; in a bool one), or the goto to the same
/// label (with the error in the variable that label returns), with the
/// calls that failure branch makes besides. Only in probe context: the
/// probe of the file's pci_driver or platform_driver, a function that
/// enables the device with pcim_enable_device(), and the functions only
/// they call (a resume path would register it again each time; a
/// function an ops table names may run from anywhere); outside loops.
/// An allocation with no failure check of its own (pci_enable_msi()
/// whose result is ignored or tested in a condition) gets the action
/// after its statement; a pci_enable_msi() whose failure branch goes on
/// (falls back to INTx) gets it joined to that branch:
/// "if (!ret) ret = devm_add_action_or_reset(...);" before the test. The
/// error goes through an int local (ret, err, rc, ...) that nothing reads
/// afterwards before writing it, or a new one.
///
/// irqcheck fix passes the lines of the allocations it reports as
/// -D lines=L1,L2; without -D managed nothing else is changed.
//
// Confidence: Moderate
// Options: --no-includes --include-headers
//
// Keywords: pcim_enable_device, pcim_alloc_irq_vectors, devres,
// devm_add_action_or_reset

virtual patch
virtual context
virtual org
virtual report
virtual managed

@initialize:python@
@@
import os
import re

LINES = []
PROBES = set()
# functions that enable the device managed: they run at probe too
ENABLERS = set()
# (function, device) of the allocations the managed conversion switches
SWITCH = set()
# file: function: the functions of the file that call it (callers_in())
CALLERS = {}
# file: the called functions named other than in a call (named_in())
NAMED = {}
# function: the type it returns (int, void, bool)
RETURNS = {}
HELPERS = {}
# functions that get a new error variable for the action
DECLARE = set()
# the allocation whose action joins its failure branch (plan_join())
JOIN = {}

ALLOCATORS = ("pci_alloc_irq_vectors", "pci_enable_msi",
	      "pci_enable_msix_range", "pci_enable_msix_exact")
ACQUIRES = re.compile(r"\b(pci_alloc_irq_vectors\w*|pci_enable_msi\w*|"
		      r"\w*request_\w*irq\w*|pcim_enable_device)\s*\(")
ERROR_NAMES = ("ret", "err", "rc", "error", "retval", "status", "rv", "r",
	       "res", "result")
# what a failure branch may do besides leaving: log and set variables
LOGS = re.compile(r"(?i)\w*(^|_)(err|warn|warning|info|dbg|debug|notice|"
		  r"crit|printk|probe)(_\w*)?$")

def branch_extras(branch):
	# the statements of the failure branch other than its return or
	# goto, its logging and its assignments (what the branch undoes
	# besides its label), or None when one of them is not a plain call
	body = branch.strip()
	if body.startswith("{"):
		body = body[1:body.rfind("}")]
	depth, start, parts = 0, 0, []
	for i, c in enumerate(body):
		depth += {"(": 1, ")": -1, "{": 1, "}": -1}.get(c, 0)
		if c == ";" and depth == 0:
			parts.append(body[start:i].strip())
			start = i + 1
	extras = []
	for part in parts:
		if re.match(r"(return|goto)\b", part):
			continue
		if re.match(r"[\w.>\[\]-]+\s*=[^=]", part):
			continue
		call = re.match(r"(\w+)\s*\(", part)
		if call and LOGS.match(call.group(1)):
			continue
		if call is None or call.group(1) in KEYWORDS or \
		   ACQUIRES.search(part):
			return None
		extras.append(part + ";")
	return extras

def blank(text):
	# comments, strings and character constants become spaces, so that
	# braces and names in them count for nothing; offsets are kept
	def spaces(m):
		return re.sub(r"[^\n]", " ", m.group(0))
	return re.sub(r"/\*.*?\*/|//[^\n]*|\"(\\.|[^\"\\\n])*\"|"
		      "\x27(\\\\.|[^\x27\\\\\n])*\x27", spaces, text, flags=re.S)

# (raw, blanked) text of each file read, by path: every allocation asks
TEXTS = {}

def texts_of(path):
	# raises OSError when the file cannot be read
	if path not in TEXTS:
		raw = open(path, encoding="latin-1").read()
		TEXTS[path] = (raw, blank(raw))
	return TEXTS[path]

# files are read as latin-1: one character a byte, as Coccinelle counts
# columns, and no decoding error whatever the locale (irqcheck runs spatch
# under LC_ALL=C) or the bytes of the file (a UTF-8 name in a comment)
def offset(text, line, column):
	at = 0
	for _ in range(int(line) - 1):
		at = text.index("\n", at) + 1
	return at + int(column)

def function_body(text, at, fn):
	# (start, end) of the braces of the definition of fn around offset at
	head = None
	for m in re.finditer(r"^\w[^;{}]*\b" + re.escape(fn) + r"\s*\(", text,
			     re.M):
		if m.start() < at:
			head = m
	if head is None:
		return None
	start = text.find("{", head.end())
	depth, i = 0, start
	while 0 <= i < len(text):
		depth += {"{": 1, "}": -1}.get(text[i], 0)
		if depth == 0:
			return (start, i)
		i += 1
	return None

def top_level(pd, fn):
	# the declaration at pd is in the body of fn, outside its blocks
	try:
		text = texts_of(pd[0].file)[1]
		at = offset(text, pd[0].line, pd[0].column)
	except (OSError, ValueError):
		return False
	body = function_body(text, at, fn)
	return body is not None and brace_depth(text, body[0], at) == 1

def brace_depth(text, start, at):
	# how many braces are open at offset at, counting the one of the body
	depth = 0
	for c in text[start:at]:
		depth += {"{": 1, "}": -1}.get(c, 0)
	return depth

def in_loop(text, start, at):
	# True when an open brace between start and at belongs to a loop or
	# a switch (an action there is registered more than once, or not on
	# every way), or the statement itself is the body of one
	opened = []
	for i in range(start + 1, at):
		if text[i] == "{":
			opened.append(i)
		elif text[i] == "}" and opened:
			opened.pop()
	heads = opened + [at]
	for i in heads:
		before = text[start + 1:i].rstrip()
		if before.endswith("do"):
			return True
		if before.endswith(")"):
			depth, j = 0, len(before) - 1
			while j >= 0:
				depth += {")": 1, "(": -1}.get(before[j], 0)
				if depth == 0:
					break
				j -= 1
			word = re.search(r"(\w+)\s*$", before[:j])
			if word and word.group(1) in ("for", "while", "switch"):
				return True
	return False

def int_locals(body):
	# the names int declarations of the body declare (int ret, i = 0;
	# int r = pci_enable_msi(dev);)
	names = set()
	for m in re.finditer(r"(?m)^\s*(?:unsigned\s+|signed\s+)?int\s+"
			     r"([^;]*);", body):
		depth, start, decl = 0, 0, m.group(1)
		for i, c in enumerate(decl + ","):
			depth += {"(": 1, ")": -1}.get(c, 0)
			if c == "," and depth == 0:
				name = re.match(r"\s*\**\s*(\w+)", decl[start:i])
				if name:
					names.add(name.group(1))
				start = i + 1
	return names

def written_before_read(after, name, label_at):
	# True when the first use of name in after (the rest of the function)
	# writes it, or is past label_at (the unwind the action failure
	# jumps to, which reads the error put there)
	for m in re.finditer(r"(?<!\.)(?<!->)\b" + re.escape(name) + r"\b",
			     after):
		if label_at is not None and m.start() >= label_at:
			return True
		rest = after[m.end():]
		return re.match(r"\s*=(?!=)", rest) is not None
	return True

def first_argument_text(text, paren):
	# the first argument of the call whose "(" is at paren, as written
	depth, i = 0, paren
	while i < len(text):
		depth += {"(": 1, ")": -1}.get(text[i], 0)
		if depth == 0 or (depth == 1 and text[i] == ","):
			break
		i += 1
	return text[paren + 1:i]

def first_argument(text, paren):
	# the same without its blanks, to compare
	return re.sub(r"\s+", "", first_argument_text(text, paren))

# calls that may stand between the allocation and the failure check the
# action borrows: they read, or set what no unwind undoes
HARMLESS = ("pci_dev_msi_enabled", "pci_irq_vector", "pci_name", "dev_name",
	    "pci_set_master", "pci_intx")
KEYWORDS = ("if", "else", "for", "while", "switch", "return", "sizeof", "do")
# calls that quiet the interrupt state of the device (mei-txe clears pending
# interrupts before requesting its handler): they acquire nothing an
# unwind would undo
QUIETS = re.compile(r"\w*(clear|ack|mask)_\w*(intr|interrupts?|irqs?|status)\w*$")

def unwind_of(after, label, locals_, fallback_ok):
	# (offset of the label in after, the variable its unwind returns) for
	# the unwind the action failure may jump to, or None: one that
	# returns a local (the error goes there) or a constant, and not one
	# that allocates or requests again (a fallback) unless fallback_ok
	# (the failure of the allocation goes there: that of the action,
	# which leaves the vectors released, is then the same to the driver)
	m = re.search(r"(?m)^\s*" + re.escape(label) + r"\s*:", after)
	if m is None or (not fallback_ok and ACQUIRES.search(after[m.start():])):
		return None
	ret = re.search(r"\breturn\s+\(?\s*(-?\w+)\s*\)?\s*;", after[m.start():])
	if ret is None:
		return None
	if ret.group(1) in locals_:
		return (m.start(), ret.group(1))
	if re.match(r"-?[A-Z0-9_]+$", ret.group(1)):
		return (m.start(), None)
	return None

def exit_of_branch(branch, extras_ok=False):
	# ("goto", label) or ("return", what) for a failure branch that only
	# logs and sets variables before it leaves one way, else None; with
	# extras_ok also one that calls what undoes more than its label
	# (mt7915 puts a reference first): (kind, what, calls)
	extras = branch_extras(branch)
	if extras is None or (extras and not extras_ok):
		return None
	exits = re.findall(r"\b(return|goto)\b\s*([^;]*);", branch)
	if not exits or len(set(exits)) != 1:
		return None
	what = exits[-1][1].strip().strip("()").strip()
	if extras_ok:
		return (exits[-1][0], what, extras)
	return (exits[-1][0], what)

def next_failure_exit(after):
	# for an allocation with no failure check of its own: the exit of
	# the first failure check after it, when only handler requests (whose
	# failure that check is), logging and harmless calls stand between,
	# else None
	m = re.search(r"\b(goto\s+\w+|return\b[^;]*);", after)
	if m is None:
		return None
	cond = None
	for c in re.finditer(r"\bif\s*\(", after[:m.start()]):
		cond = c
	if cond is None:
		return None
	for call in re.finditer(r"(\w+)\s*\(", after[:cond.start()]):
		name = call.group(1)
		if name in ("for", "while", "switch", "do"):
			return None
		if (name in KEYWORDS or name in HARMLESS or LOGS.match(name) or
		    QUIETS.match(name) or
		    re.match(r"\w*request_\w*irq\w*$", name)):
			continue
		return None
	depth, i = 0, after.find("(", cond.start())
	while i < len(after):
		depth += {"(": 1, ")": -1}.get(after[i], 0)
		i += 1
		if depth == 0:
			break
	branch = after[i:m.end()]
	if branch.lstrip().startswith("{"):
		branch += "\n}"
	return exit_of_branch(branch)

def plan_action(path, line, column, end_line, end_column, fn, shape, var,
		returns):
	# how the action failure leaves: (kind, V, label, declare, device,
	# calls, returned): kind "return" or "goto" (to label), V the error
	# variable, declare when V is to be declared, calls what the failure
	# branch undoes besides its label, returned what a return returns;
	# or None when no patch is right here. returns is the type of the
	# function: "int", or "void" / "bool" (whose failure returns nothing
	# or false: the action failure returns the same)
	try:
		raw, text = texts_of(path)
	except OSError:
		return None
	at = offset(text, line, column)
	end = offset(text, end_line, end_column)
	body = function_body(text, at, fn)
	if body is None or in_loop(text, body[0], at):
		return None
	after = text[end:body[1]]
	if re.match(r"\s*else\b", after):
		return None
	stmt_start = text.rfind(";", body[0], at)
	stmt_start = max(stmt_start, text.rfind("{", body[0], at),
			 text.rfind("}", body[0], at)) + 1
	anchor = text[stmt_start:end]
	# the anchor holds the allocation and, for the checked shapes, its
	# failure branch: nothing else may be acquired there
	if len(ACQUIRES.findall(anchor)) != 1:
		return None
	# another allocation for the device in the function is a fallback:
	# one nested in a failure branch would get the action on one of its
	# ways only; allocations one after another at the top of the body
	# (MSI-X, else MSI, else INTx by labels) each get their own
	device = first_argument(text, text.find("(", at))
	if [first_argument(text, m.end() - 1)
	    for m in re.finditer(r"\b(" + "|".join(ALLOCATORS) + r")\w*\s*\(",
				 text[:body[1]])
	    if m.start() > body[0]].count(device) != 1 and \
	   brace_depth(text, body[0], at) != 1:
		return None
	# another allocation of the function that is not reported is
	# released otherwise, or of another device the finding does not
	# name: a patch of this one alone would claim the driver fixed
	for m in re.finditer(r"\b(" + "|".join(ALLOCATORS) + r")\w*\s*\(",
			     text[:body[1]]):
		where = str(text.count("\n", 0, m.start()) + 1)
		if m.start() > body[0] and where != str(line) and \
		   where not in LINES:
			return None
	locals_ = int_locals(text[body[0]:body[1]])
	extras = []
	if shape == "checked":
		cond = anchor.find("(", re.search(r"\bif\b", anchor).start())
		depth, i = 0, cond
		while i < len(anchor):
			depth += {"(": 1, ")": -1}.get(anchor[i], 0)
			i += 1
			if depth == 0:
				break
		leave = exit_of_branch(anchor[i:], extras_ok=True)
		if leave is not None:
			extras = leave[2]
			leave = leave[:2]
			branch_at = stmt_start + i
			# calls copied from the branch: as written, and not of
			# the allocation result (a count on success)
			if extras and (raw[branch_at:end] != text[branch_at:end] or
				       (var and re.search(r"\b" + re.escape(var) +
							  r"\b", " ".join(extras)))):
				return None
	elif returns != "int":
		return None
	elif re.search(r"\bgoto\b", text[body[0]:body[1]]):
		# no failure check of its own in a function with an unwind: the
		# next failure check tells which unwind holds at this point
		leave = next_failure_exit(after)
	else:
		leave = ("return", None)
	if leave is None:
		return None
	kind, what = leave
	# a void function may also leave through a label the failure of the
	# allocation takes (iwlwifi falls back to MSI there): the failure
	# of the action, which leaves no vectors either, takes it too
	void_goto = returns == "void" and kind == "goto" and shape == "checked"
	if returns != "int" and not void_goto and (kind, what) != \
	   ("return", "false" if returns == "bool" else ""):
		return None
	returned = what if returns != "int" else None
	candidates, label, label_at = [], None, None
	if void_goto:
		label = what
		m = re.search(r"(?m)^\s*" + re.escape(label) + r"\s*:", after)
		if m is None:
			return None
		label_at = m.start()
	elif kind == "goto":
		label = what
		unwind = unwind_of(after, label, locals_, shape == "checked")
		if unwind is None:
			return None
		label_at = unwind[0]
		if unwind[1]:
			candidates.append(unwind[1])
	# an error variable by its usual name before the variable of the
	# allocation (a count, often)
	candidates += [n for n in ERROR_NAMES if n in locals_]
	if shape == "checked" and not label and returns == "int":
		# (a void or bool function returns no variable; its count
		# would read oddly holding an error)
		what = re.match(r"\w+$", what or "") and what
		candidates += [n for n in (what, var) if n in locals_]
	if label and not void_goto and unwind[1]:
		# the unwind returns that variable: the error must be in it
		candidates = candidates[:1]
	devarg = action_device(raw, text, body[0], at)[1]
	for name in candidates:
		if written_before_read(after, name, label_at):
			return (kind, name, label, False, devarg, extras,
				returned)
	# none to borrow: a new one, where nothing in the function has the
	# name (the unwind of a goto returns its own variable or a constant)
	for name in ("ret", "err"):
		if not re.search(r"\b" + name + r"\b", text[body[0]:body[1]]):
			return (kind, name, label, True, devarg, extras,
				returned)
	return None

def name_helper(fn, line):
	# the name of the helper the actions call, the same for every action
	# of the file; the helper goes before the first function (by line)
	# that registers one
	# named after the driver probe (foo_pci_probe: foo_pci_), else
	# after the first word of the function name; several probes: their
	# common prefix (thunderx_l2c_probe, thunderx_lmc_probe: thunderx_)
	common = os.path.commonprefix(sorted(PROBES)) if PROBES else ""
	common = common[:common.rfind("_") + 1] if len(PROBES) > 1 else ""
	probe = sorted(PROBES)[0] if len(PROBES) == 1 else fn
	if not PROBES and len(ENABLERS) == 1:
		# (iwlwifi: iwl_trans_pcie_alloc: iwl_trans_pcie_)
		probe = sorted(ENABLERS)[0]
		if probe.endswith("_alloc"):
			probe = probe[:-len("_alloc")] + "_probe"
	if common.strip("_"):
		base = common.rstrip("_")
	elif probe.endswith("_probe"):
		base = probe[:-len("_probe")]
	else:
		base = fn.split("_")[0]
	first = HELPERS.get("first")
	if first is None or int(line) < first[0]:
		HELPERS["first"] = (int(line), fn)
	return HELPERS.setdefault("name", base + "_free_irq_vectors")

def action_device(raw, text, body_start, at):
	# (the device argument of the allocation at offset at, as written;
	# the struct device its action is registered on: a local the function
	# already keeps for it (struct device *dev = &pdev->dev;), else
	# &D->dev)
	paren = text.find("(", at)
	arg = raw[paren + 1:paren + 1 +
		  len(first_argument_text(text, paren))].strip()
	device = first_argument(text, paren)
	before = text[body_start:at]
	kept = re.search(r"\bstruct\s+device\s*\*\s*(\w+)\s*=\s*&\s*" +
			 r"\s*".join(re.escape(c) for c in device) +
			 r"\s*->\s*dev\s*;", before)
	if kept and not re.search(r"\b" + kept.group(1) + r"\s*=[^=]",
				  before[kept.end():]):
		return (arg, kept.group(1))
	return (arg, "&" + arg + "->dev")

def assigned_to(text, at):
	# the variable the call at offset at is assigned to, or None
	var = re.search(r"(\w+)\s*=\s*$", text[max(0, at - 80):at])
	return var.group(1) if var else None

def plan_join(path, line, column, end_line, end_column, fn, var):
	# pci_enable_msi() whose failure branch does not leave (it falls back
	# to INTx and goes on, iwlwifi): the action joins that branch, run
	# when the allocation succeeded and its failure taken as the
	# allocation failure ("if (!ret) ret = devm_add_action_or_reset(...)").
	# True when that is the shape here
	try:
		raw, text = texts_of(path)
	except OSError:
		return False
	at = offset(text, line, column)
	end = offset(text, end_line, end_column)
	body = function_body(text, at, fn)
	if body is None or in_loop(text, body[0], at) or var is None:
		return False
	if not re.match(r"pci_enable_msi\s*\(", text[at:]):
		return False
	semi = text.find(";", at)
	test = re.match(r"\s*if\s*\(\s*" + re.escape(var) +
			r"\s*(<\s*0\s*|!=\s*0\s*)?\)", text[semi + 1:end])
	if test is None:
		return False
	branch = text[semi + 1 + test.end():end]
	return (branch_extras(branch) is not None and
		re.search(r"\b(return|goto|break|continue)\b", branch) is None and
		not re.match(r"\s*else\b", text[end:body[1]]))

def callers_in(path):
	# function: the functions of the file whose bodies call it, read from
	# the text (a rule matching every call of a driver with a script
	# took a third of the time of a run)
	if path in CALLERS:
		return CALLERS[path]
	text = texts_of(path)[1]
	bodies = []
	for m in re.finditer(r"(?m)^\w[^;{}=]*?\b(\w+)\s*\([^;{}]*\)\s*\{",
			     text):
		start = m.end() - 1
		depth, i = 0, start
		while i < len(text):
			depth += {"{": 1, "}": -1}.get(text[i], 0)
			if depth == 0:
				break
			i += 1
		bodies.append((m.group(1), text[start:i + 1]))
	callers = {}
	for name, body in bodies:
		for call in set(re.findall(r"\b(\w+)\s*\(", body)):
			callers.setdefault(call, set()).add(name)
	CALLERS[path] = callers
	return callers

def named_in(path):
	# the called functions whose name stands in the file other than
	# before a parenthesis (an ops table, a callback argument): they may
	# run from anywhere (read from the text: a rule matching every
	# identifier of a driver took most of the time of a run)
	if path not in NAMED:
		text = texts_of(path)[1]
		NAMED[path] = set(f for f in callers_in(path)
				  if re.search(r"\b" + re.escape(f) +
					       r"\b(?!\s*\()", text))
	return NAMED[path]

def probe_only(path):
	# probe, and the functions only it (or they) call
	named = named_in(path)
	only = set(PROBES) | ENABLERS
	grew = True
	while grew:
		grew = False
		for f, callers in callers_in(path).items():
			if f not in only and f not in named and callers <= only:
				only.add(f)
				grew = True
	return only

@dev@
expression d;
@@
pcim_enable_device(d)

// the allocations irqcheck reports, and the others on the same device
// in the same function (qaic's fallback to one vector after -ENOSPC);
// not another device's (mt7996's second interface releases its own) nor
// another function's (a second, unmanaged driver in the file)
@alloc_switch depends on dev && patch && managed@
expression d;
expression list es;
position p;
@@
(
pci_alloc_irq_vectors@p(d, es)
|
pci_alloc_irq_vectors_affinity@p(d, es)
)

@script:python@
p << alloc_switch.p;
d << alloc_switch.d;
lines << virtual.lines;
@@
if lines == "all" or p[0].line in lines.split(","):
	SWITCH.add((p[0].current_element, d))

@script:python@
p << alloc_switch.p;
d << alloc_switch.d;
@@
if (p[0].current_element, d) not in SWITCH:
	cocci.include_match(False)

@depends on alloc_switch@
position alloc_switch.p;
expression list es;
@@
// the name only: the arguments keep their lines (irqcheck fix aligns
// them under the longer name)
(
- pci_alloc_irq_vectors@p
+ pcim_alloc_irq_vectors
  (es)
|
- pci_alloc_irq_vectors_affinity@p
+ pcim_alloc_irq_vectors_affinity
  (es)
)

// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again0@
expression d;
@@
pcim_enable_device(d)

@script:python depends on patch@
lines << virtual.lines;
@@
LINES.extend(lines.split(","))

// pci_enable_msi() has no managed twin: pcim_alloc_irq_vectors() for one
// MSI vector, which sets pdev->irq as it did and returns 1 where it
// returned 0. Only the allocations irqcheck reports (a resume path that
// enables MSI again must not register a release each time). A result
// compared with 0 or tested for failure is tested for a count; a result
// kept in a variable only where its test comes right after and nothing
// reads it later.
@msi_compared depends on dev_again0 && patch && managed@
expression D;
position p;
@@
(
  pci_enable_msi@p(D) == 0
|
  !pci_enable_msi@p(D)
|
  pci_enable_msi@p(D) != 0
|
  pci_enable_msi@p(D) < 0
)

@script:python depends on msi_compared@
p << msi_compared.p;
@@
if p[0].line not in LINES:
	cocci.include_match(False)

@depends on msi_compared@
expression D;
position msi_compared.p;
@@
(
- pci_enable_msi@p(D) == 0
+ pcim_alloc_irq_vectors(D, 1, 1, PCI_IRQ_MSI) > 0
|
- !pci_enable_msi@p(D)
+ pcim_alloc_irq_vectors(D, 1, 1, PCI_IRQ_MSI) > 0
|
- pci_enable_msi@p(D) != 0
+ pcim_alloc_irq_vectors(D, 1, 1, PCI_IRQ_MSI) < 0
|
- pci_enable_msi@p(D) < 0
+ pcim_alloc_irq_vectors(D, 1, 1, PCI_IRQ_MSI) < 0
)

// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again1@
expression d;
@@
pcim_enable_device(d)

@msi_tested depends on dev_again1 && patch && managed@
expression D;
statement S;
position p;
@@
if (pci_enable_msi@p(D)) S

@script:python depends on msi_tested@
p << msi_tested.p;
@@
if p[0].line not in LINES:
	cocci.include_match(False)

@depends on msi_tested@
expression D;
statement S;
position msi_tested.p;
@@
  if (
- pci_enable_msi@p(D)
+ pcim_alloc_irq_vectors(D, 1, 1, PCI_IRQ_MSI) < 0
  ) S

// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again2@
expression d;
@@
pcim_enable_device(d)

@msi_kept depends on dev_again2 && patch && managed exists@
identifier r, fn;
expression D;
statement S;
type T;
position p, pe;
@@
fn(...) {
  ... when any
(
  r = pci_enable_msi@p(D);
  if (r) S@pe
|
  T r = pci_enable_msi@p(D);
  if (r) S@pe
|
  r = pci_enable_msi@p(D);
  if (!r) S@pe
|
  T r = pci_enable_msi@p(D);
  if (!r) S@pe
)
  ... when any
}

@script:python depends on msi_kept@
p << msi_kept.p;
pe << msi_kept.pe;
r << msi_kept.r;
fn << msi_kept.fn;
@@
ok = False
if p[0].line in LINES:
	try:
		text = texts_of(p[0].file)[1]
		body = function_body(text, offset(text, p[0].line,
						  p[0].column), fn)
		end = offset(text, pe[0].line_end, pe[0].column_end)
		# a success branch (if (!r)) read r as 0, which is now 1:
		# the branch too must write r before it reads it
		start = offset(text, pe[0].line, pe[0].column)
		success = re.search(r"if\s*\(\s*!", text[offset(text,
			p[0].line, p[0].column):start]) is not None
		ok = body is not None and \
		     written_before_read(text[start if success else end:body[1]],
					 r, None)
	except (OSError, ValueError):
		ok = False
if not ok:
	cocci.include_match(False)

@depends on msi_kept@
identifier msi_kept.r;
expression D;
statement S;
type T;
position msi_kept.p;
@@
(
  r =
- pci_enable_msi@p(D)
+ pcim_alloc_irq_vectors(D, 1, 1, PCI_IRQ_MSI)
  ;
  if (
- r
+ r < 0
  ) S
|
  T r =
- pci_enable_msi@p(D)
+ pcim_alloc_irq_vectors(D, 1, 1, PCI_IRQ_MSI)
  ;
  if (
- r
+ r < 0
  ) S
|
  r =
- pci_enable_msi@p(D)
+ pcim_alloc_irq_vectors(D, 1, 1, PCI_IRQ_MSI)
  ;
  if (
- !r
+ r > 0
  ) S
|
  T r =
- pci_enable_msi@p(D)
+ pcim_alloc_irq_vectors(D, 1, 1, PCI_IRQ_MSI)
  ;
  if (
- !r
+ r > 0
  ) S
)

// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again3@
expression d;
@@
pcim_enable_device(d)

@msi_ignored depends on dev_again3 && patch && managed@
expression D;
position p;
@@
pci_enable_msi@p(D);

@script:python depends on msi_ignored@
p << msi_ignored.p;
@@
if p[0].line not in LINES:
	cocci.include_match(False)

@depends on msi_ignored@
expression D;
position msi_ignored.p;
@@
- pci_enable_msi@p(D);
+ pcim_alloc_irq_vectors(D, 1, 1, PCI_IRQ_MSI);

@probe_fn@
identifier drv, pfn;
@@
struct pci_driver drv = { ..., .probe = pfn, ... };

@script:python@
pfn << probe_fn.pfn;
@@
PROBES.add(pfn)

// a function that enables the device managed runs at probe (in iwlwifi
// iwl_trans_pcie_alloc(), which another file's probe calls)
@enabler@
identifier f;
@@
f(...) { <+... pcim_enable_device(...) ...+> }

@script:python@
f << enabler.f;
@@
ENABLERS.add(f)

// a driver that also binds as a platform device (safexcel) probes there
// too
@platform_probe_fn@
identifier drv, pfn;
@@
struct platform_driver drv = { ..., .probe = pfn, ... };

@script:python@
pfn << platform_probe_fn.pfn;
@@
PROBES.add(pfn)


// functions that return int: the action's failure returns the error;
// void and bool ones: it returns as the allocation failure does
@int_function depends on patch && !managed@
identifier f;
@@
int f(...) { ... }

@script:python@
f << int_function.f;
@@
RETURNS[f] = "int"

@void_function depends on patch && !managed@
identifier f;
@@
void f(...) { ... }

@script:python@
f << void_function.f;
@@
RETURNS[f] = "void"

@bool_function depends on patch && !managed@
typedef bool;
identifier f;
@@
bool f(...) { ... }

@script:python@
f << bool_function.f;
@@
RETURNS[f] = "bool"

// pci_enable_msi() whose failure branch goes on (see plan_join()): the
// action joins that branch. Done before the other allocations are
// matched, which then see the joined code
// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again4@
expression d;
@@
pcim_enable_device(d)

@join_alloc depends on dev_again4 && patch && !managed@
expression E, D, C;
statement S;
position p, pe;
@@
  E = pci_enable_msi@p(D);
  if (C) S@pe

@script:python join_name depends on join_alloc@
p << join_alloc.p;
pe << join_alloc.pe;
@@
# only noted here: the join is made after the other actions, by names
# (a rule that changes the code before legacy_alloc would leave it
# positions in a rewritten copy, not the lines irqcheck reported)
fn = p[0].current_element
ok = False
if p[0].line in LINES and fn in RETURNS and fn in probe_only(p[0].file):
	try:
		raw, text = texts_of(p[0].file)
		at = offset(text, p[0].line, p[0].column)
		var = assigned_to(text, at)
		ok = plan_join(p[0].file, p[0].line, p[0].column,
			       pe[0].line_end, pe[0].column_end, fn, var)
	except (OSError, ValueError):
		ok = False
if ok and "join" not in JOIN:
	arg, holder_ = action_device(raw, text,
				     function_body(text, at, fn)[0], at)
	JOIN["join"] = (holder_, name_helper(fn, p[0].line), var, arg)

// the allocation, with its failure check when it has one: pe is where
// the action goes
// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again5@
expression d;
@@
pcim_enable_device(d)

@legacy_alloc depends on dev_again5 && patch && !managed@
identifier alloc = { pci_alloc_irq_vectors, pci_alloc_irq_vectors_affinity,
                     pci_enable_msi, pci_enable_msix_range,
                     pci_enable_msix_exact };
expression E, D, C;
statement S, S1, S2;
type T;
identifier V;
position p, pe;
@@
(
  E = alloc@p(D, ...);
  if (C) S@pe
|
  T V = alloc@p(D, ...);
  if (C) S@pe
|
  if (<+... alloc@p(D, ...) ...+>) S1 else S2@pe
|
  if (<+... alloc@p(D, ...) ...+>) S1@pe
|
  alloc@p(D, ...);@pe
)

@script:python helper_name depends on legacy_alloc@
p << legacy_alloc.p;
pe << legacy_alloc.pe;
h;
fn;
err;
fail;
holder;
@@
fn = p[0].current_element
coccinelle.fn = cocci.make_ident(fn)
plan = None
if p[0].line in LINES and fn in RETURNS and fn in probe_only(p[0].file):
	try:
		text = texts_of(p[0].file)[1]
		at = offset(text, p[0].line, p[0].column)
		end = offset(text, pe[0].line_end, pe[0].column_end)
		# the allocation statement ends before the anchor does when a
		# failure check follows it
		semi = text.find(";", at)
		checked = semi < end - 1 and re.match(r"\s*if\b",
						     text[semi + 1:end]) is not None
		plan = plan_action(p[0].file, p[0].line, p[0].column,
				   pe[0].line_end, pe[0].column_end, fn,
				   "checked" if checked else "plain",
				   assigned_to(text, at), RETURNS[fn])
	except (OSError, ValueError):
		plan = None
if plan is None:
	cocci.include_match(False)
else:
	kind, name, label, declare, devarg, extras, returned = plan
	coccinelle.holder = cocci.make_expr(devarg)
	if declare:
		DECLARE.add(fn)
	coccinelle.err = cocci.make_ident(name)
	if kind == "goto":
		leave = "goto " + label + ";"
	elif returned is None:
		leave = "return " + name + ";"
	else:
		leave = ("return " + returned).strip() + ";"
	if extras:
		leave = "{ " + " ".join(extras + [leave]) + " }"
	coccinelle.fail = cocci.make_stmt(leave)
	coccinelle.h = cocci.make_ident(name_helper(fn, p[0].line))

@add_action depends on helper_name@
identifier helper_name.h, helper_name.err, legacy_alloc.alloc;
statement helper_name.fail;
expression helper_name.holder;
expression E, D, C;
statement S, S1, S2;
type T;
identifier V;
position legacy_alloc.p;
@@
(
  E = alloc@p(D, ...);
  if (C) S
+ err = devm_add_action_or_reset(holder, h, D);
+ if (err)
+ 	fail
|
  T V = alloc@p(D, ...);
  if (C) S
+ err = devm_add_action_or_reset(holder, h, D);
+ if (err)
+ 	fail
|
  if (<+... alloc@p(D, ...) ...+>) S1 else S2
+ err = devm_add_action_or_reset(holder, h, D);
+ if (err)
+ 	fail
|
  if (<+... alloc@p(D, ...) ...+>) S1
+ err = devm_add_action_or_reset(holder, h, D);
+ if (err)
+ 	fail
|
  alloc@p(D, ...);
+ err = devm_add_action_or_reset(holder, h, D);
+ if (err)
+ 	fail
)

// the join noted above, one a file (iwlwifi has one), made by names
@script:python join_bind depends on patch && !managed@
holder;
h;
var;
device;
@@
# bound to what no code holds when there is none: a script that drops
# its only binding leaves the rules after it with none
holder_, h_, var_, device_ = JOIN.get("join", ("irqcheck_no_join",) * 4)
coccinelle.holder = cocci.make_expr(holder_)
coccinelle.h = cocci.make_ident(h_)
coccinelle.var = cocci.make_expr(var_)
coccinelle.device = cocci.make_expr(device_)

@add_join depends on join_bind@
identifier join_bind.h;
expression join_bind.holder, join_bind.var, join_bind.device;
expression C;
statement S;
@@
  var = pci_enable_msi(device);
+ if (!var)
+ 	var = devm_add_action_or_reset(holder, h, device);
  if (C) S

@script:python first_helper depends on add_action || add_join@
fn;
h;
@@
if HELPERS.get("defined"):
	cocci.include_match(False)
else:
	HELPERS["defined"] = HELPERS["first"][1]
	coccinelle.fn = cocci.make_ident(HELPERS["first"][1])
	coccinelle.h = cocci.make_ident(HELPERS["name"])

@depends on first_helper@
identifier first_helper.fn, first_helper.h;
@@
+ static void h(void *data)
+ {
+ 	pci_free_irq_vectors(data);
+ }
+
  fn(...) { ... }

@script:python declare_error depends on add_action@
fn << helper_name.fn;
@@
if fn not in DECLARE:
	cocci.include_match(False)
else:
	DECLARE.discard(fn)

// after the last declaration, or first when it has none
// the declarations of the function body itself, not of a block in it
// (mhi declares one in a loop)
@after_declarations depends on declare_error@
identifier helper_name.fn, helper_name.err;
declaration d;
statement S;
position pd : script:python(fn) { top_level(pd, fn) };
@@
  fn(...) {
  ... when any
  d@pd
+ int err;
  S
  ...
  }

@depends on declare_error && !after_declarations@
identifier helper_name.fn, helper_name.err;
@@
  fn(...) {
+ int err;
  ...
  }

// the device test again: a script before that dropped all its
// matches left the rules after it with no bindings, not even dev
@dev_again6@
expression d;
@@
pcim_enable_device(d)

@depends on dev_again6 && context@
expression list es;
@@
(
* pci_alloc_irq_vectors(es)
|
* pci_alloc_irq_vectors_affinity(es)
)

// report and org print each match alone, with no context diff
@alloc depends on dev_again6 && (org || report)@
expression list es;
position p;
@@
(
 pci_alloc_irq_vectors@p(es)
|
 pci_alloc_irq_vectors_affinity@p(es)
)

@script:python depends on org@
p << alloc.p;
@@
cocci.print_main("vectors released only by the hybrid devres rule", p)

@script:python depends on report@
p << alloc.p;
@@
coccilib.report.print_report(p[0], "use pcim_alloc_irq_vectors(): these vectors are released only by the hybrid devres rule of the PCI core")
