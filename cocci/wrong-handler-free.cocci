// SPDX-License-Identifier: GPL-2.0-only
/// An unwind that cannot free the handlers it undoes: free_irq() frees
/// only the handler whose dev_id is the pointer the request passed, on
/// the irq the request named.
///
/// - A loop that runs over j but names the irq or the dev_id by i, which
///   it never changes (the request named both by one index): name both by
///   the loop's variable.
/// - A dev_id that is the address of the array slot, &a[i], where the
///   request passed the element a[i] itself (an array of pointers): pass
///   the element.
///
/// irqcheck fix passes the lines of the frees it found as -D lines=L1,L2;
/// other frees are left alone. A dev_id of another kind (the device for
/// a queue) has no mechanical fix: the request's pointer may not be in
/// scope in the unwind.
//
// Confidence: High
// Options: --no-includes --include-headers
//
// Keywords: free_irq, pci_free_irq, dev_id, unwind

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
# the lines irqcheck reported (-D lines=), none in report mode
LINES = []

@script:python depends on patch@
lines << virtual.lines;
@@
LINES.extend(lines.split(","))

@misindexed@
local idexpression int j, i;
expression e1, e2, E, D;
position p;
@@
(
for (e1; e2; \(j++\|j--\|++j\|--j\)) {
  <...
(
  free_irq@p(<+... i ...+>, E);
|
  free_irq@p(E, <+... i ...+>);
|
  pci_free_irq@p(D, <+... i ...+>, E);
|
  pci_free_irq@p(D, E, <+... i ...+>);
)
  ...>
}
|
for (e1; e2; \(j++\|j--\|++j\|--j\))
(
  free_irq@p(<+... i ...+>, E);
|
  free_irq@p(E, <+... i ...+>);
|
  pci_free_irq@p(D, <+... i ...+>, E);
|
  pci_free_irq@p(D, E, <+... i ...+>);
)
|
while (\(--j >= 0\|j-- > 0\|j--\)) {
  <...
(
  free_irq@p(<+... i ...+>, E);
|
  free_irq@p(E, <+... i ...+>);
)
  ...>
}
|
while (\(--j >= 0\|j-- > 0\|j--\))
(
  free_irq@p(<+... i ...+>, E);
|
  free_irq@p(E, <+... i ...+>);
)
)

@script:python depends on misindexed@
p << misindexed.p;
i << misindexed.i;
j << misindexed.j;
@@
if i == j or (LINES and p[0].line not in LINES):
	cocci.include_match(False)

@depends on patch@
position misindexed.p;
local idexpression int misindexed.i, misindexed.j;
expression E, D;
@@
(
free_irq@p(
  <+...
- i
+ j
  ...+>
  , E)
|
free_irq@p(E,
  <+...
- i
+ j
  ...+>
  )
|
pci_free_irq@p(D,
  <+...
- i
+ j
  ...+>
  , E)
|
pci_free_irq@p(D, E,
  <+...
- i
+ j
  ...+>
  )
)

@slot_address@
expression irq, a, k, D;
position p;
@@
(
free_irq@p(irq, &a[k])
|
pci_free_irq@p(D, irq, &a[k])
)

@script:python depends on slot_address@
p << slot_address.p;
@@
if not LINES or p[0].line not in LINES:
	cocci.include_match(False)

@depends on patch@
expression irq, a, k, D;
position slot_address.p;
@@
(
free_irq@p(irq,
- &a[k]
+ a[k]
 )
|
pci_free_irq@p(D, irq,
- &a[k]
+ a[k]
 )
)

@script:python depends on org@
p << misindexed.p;
@@
cocci.print_main("unwind frees by an index the loop never changes", p)

@script:python depends on report@
p << misindexed.p;
@@
coccilib.report.print_report(p[0], "unwind frees by an index the loop never changes: the handler requested with the loop's index stays attached")
