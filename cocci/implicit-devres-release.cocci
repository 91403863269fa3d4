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
/// the allocation and its failure check. It is right in both worlds:
/// while the hybrid rule stands, devres (which undoes in reverse order)
/// runs the action before the PCI core's own release, registered by the
/// allocation, and that one then finds nothing enabled; once the rule
/// goes it is the only release. devres runs it after remove() and after
/// every devm_request_irq() handler registered later is freed. Only for
/// an allocation in an int function that is probe or that only probe
/// reaches (a resume path would register it again each time; a function
/// an ops table names may run from anywhere), whose failure branch
/// returns, without a goto to an unwind the plain return would skip and
/// without falling back to another allocation and its handlers (the
/// action would run before devres frees them); the action's own failure
/// (-ENOMEM) returns too.
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
LINES = []
PROBES = set()
CALLERS = {}
CALLS = set()
NAMED = set()
INT_FUNCTIONS = set()
HELPERS = {}

def failure_branch_jumps(path, line):
	# the text of the failure check after the allocation at line: a
	# branch with a goto may lead to an unwind that a plain return of the
	# action failure would skip
	try:
		text = "\n".join(open(path).read().splitlines()[int(line) - 1:])
	except OSError:
		return True
	at = text.find(";")
	at = text.find("if", at)
	if at < 0:
		return True
	depth, i = 0, text.find("(", at)
	while i < len(text):
		depth += {"(": 1, ")": -1}.get(text[i], 0)
		i += 1
		if depth == 0:
			break
	rest = text[i:].lstrip()
	if rest.startswith("{"):
		depth, j = 0, 0
		while j < len(rest):
			depth += {"{": 1, "}": -1}.get(rest[j], 0)
			j += 1
			if depth == 0:
				break
		branch = rest[:j]
	else:
		branch = rest[:rest.find(";") + 1]
	return "goto" in branch

def probe_only():
	# probe, and the functions only it (or they) call
	only = set(PROBES)
	grew = True
	while grew:
		grew = False
		for f, callers in CALLERS.items():
			if f not in only and f not in NAMED and callers <= only:
				only.add(f)
				grew = True
	return only

@dev@
expression d;
@@
pcim_enable_device(d)

@depends on dev && patch && managed@
expression list es;
@@
(
- pci_alloc_irq_vectors(es)
+ pcim_alloc_irq_vectors(es)
|
- pci_alloc_irq_vectors_affinity(es)
+ pcim_alloc_irq_vectors_affinity(es)
)

@script:python depends on patch && !managed@
lines << virtual.lines;
@@
LINES.extend(lines.split(","))

@probe_fn@
identifier drv, pfn;
@@
struct pci_driver drv = { ..., .probe = pfn, ... };

@script:python@
pfn << probe_fn.pfn;
@@
PROBES.add(pfn)

@call depends on patch && !managed@
identifier callee;
position pc;
@@
callee@pc(...)

@script:python@
callee << call.callee;
pc << call.pc;
@@
CALLERS.setdefault(callee, set()).add(pc[0].current_element)
CALLS.add((pc[0].line, pc[0].column))

// a function named other than in a call (an ops table, a callback
// argument) may run from anywhere
@named depends on patch && !managed@
identifier f;
position pn;
@@
f@pn

@script:python@
f << named.f;
pn << named.pn;
@@
if (pn[0].line, pn[0].column) not in CALLS:
	NAMED.add(f)

// functions that return int: the action's failure returns -ENOMEM
@int_function depends on patch && !managed@
identifier f;
@@
int f(...) { ... }

@script:python@
f << int_function.f;
@@
INT_FUNCTIONS.add(f)

@legacy_alloc depends on dev && patch && !managed@
identifier l;
expression E, D, R;
expression list es;
expression C;
position p;
@@
(
  E = pci_alloc_irq_vectors@p(D, es);
|
  E = pci_alloc_irq_vectors_affinity@p(D, es);
|
  E = pci_enable_msi@p(D);
|
  E = pci_enable_msix_range@p(D, es);
|
  E = pci_enable_msix_exact@p(D, es);
)
  if (C)
(
  return R;
|
  {
  ... when != goto l;
  return R;
  }
)

@script:python helper_name depends on legacy_alloc@
p << legacy_alloc.p;
h;
fn;
@@
fn = p[0].current_element
coccinelle.fn = cocci.make_ident(fn)
ok = (p[0].line in LINES and fn in INT_FUNCTIONS and fn in probe_only() and
      not failure_branch_jumps(p[0].file, p[0].line))
if not ok:
	cocci.include_match(False)
else:
	# named after the driver probe (foo_pci_probe: foo_pci_), else
	# after the first word of the function name
	probe = sorted(PROBES)[0] if len(PROBES) == 1 else fn
	if probe.endswith("_probe"):
		base = probe[:-len("_probe")]
	else:
		base = fn.split("_")[0]
	coccinelle.h = cocci.make_ident(HELPERS.setdefault("name", base + "_free_irq_vectors"))
	# the helper goes before the first of these functions in the file
	first = HELPERS.get("first")
	if first is None or int(p[0].line) < first[0]:
		HELPERS["first"] = (int(p[0].line), fn)

@add_action depends on helper_name@
identifier helper_name.h;
expression legacy_alloc.E, legacy_alloc.D, legacy_alloc.C;
expression list legacy_alloc.es;
statement S;
position legacy_alloc.p;
@@
(
  E = pci_alloc_irq_vectors@p(D, es);
|
  E = pci_alloc_irq_vectors_affinity@p(D, es);
|
  E = pci_enable_msi@p(D);
|
  E = pci_enable_msix_range@p(D, es);
|
  E = pci_enable_msix_exact@p(D, es);
)
  if (C) S
+ if (devm_add_action_or_reset(&D->dev, h, D))
+ 	return -ENOMEM;

@script:python first_helper depends on add_action@
fn << helper_name.fn;
@@
if HELPERS.get("defined") or fn != HELPERS["first"][1]:
	cocci.include_match(False)
else:
	HELPERS["defined"] = fn

@depends on first_helper@
identifier helper_name.fn, helper_name.h;
@@
+ static void h(void *data)
+ {
+ 	pci_free_irq_vectors(data);
+ }
+
  fn(...) { ... }

@alloc depends on dev && (context || org || report)@
expression list es;
position p;
@@
(
* pci_alloc_irq_vectors@p(es)
|
* pci_alloc_irq_vectors_affinity@p(es)
)

@script:python depends on org@
p << alloc.p;
@@
cocci.print_main("vectors released only by the hybrid devres rule", p)

@script:python depends on report@
p << alloc.p;
@@
coccilib.report.print_report(p[0], "use pcim_alloc_irq_vectors(): these vectors are released only by the hybrid devres rule of the PCI core")
