// SPDX-License-Identifier: GPL-2.0-only
/// pci_irq_vector() (with an index other than 0) on a device whose
/// vectors were released earlier in the function: the irq number is stale, or the error the
/// call returns for a device with no vectors, and what it is passed to
/// acts on the wrong irq. Move the release below the statement that
/// reads the vector.
///
/// irqcheck fix passes each read with the release before it as
/// -D pairs=U1:R1,U2:R2 (U the line of the read, R of the release). Only
/// where the read is a statement of its own after the release in the
/// same function, in a call statement or an assignment; a read whose
/// release is in a caller gets no patch.
//
// Confidence: Moderate
// Options: --no-includes --include-headers
//
// Keywords: pci_irq_vector, pci_free_irq_vectors, ordering

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
# (release line, read line) pairs from -D pairs=
PAIRS = set()

def wanted(pairs, r, u):
	if not PAIRS:
		for pair in pairs.split(","):
			if ":" in pair:
				read, rel = pair.split(":", 1)
				PAIRS.add((rel, read))
	return (r, u) in PAIRS

@late depends on patch@
identifier rel = { pci_free_irq_vectors, pci_disable_msi, pci_disable_msix };
expression d, e;
position r, u;
@@
rel@r(d);
...
pci_irq_vector@u(d, e)

@script:python depends on late@
pairs << virtual.pairs;
r << late.r;
u << late.u;
@@
if not wanted(pairs, r[0].line, u[0].line):
	cocci.include_match(False)

@depends on late@
identifier late.rel, fn;
expression late.d, E;
position late.r, late.u;
@@
(
- rel@r(d);
  ...
  fn(..., <+... pci_irq_vector@u(d, ...) ...+>, ...);
+ rel(d);
|
- rel@r(d);
  ...
  E = <+... pci_irq_vector@u(d, ...) ...+>;
+ rel(d);
)

@depends on context@
expression d, e;
position u;
@@
(
pci_free_irq_vectors(d);
|
pci_disable_msi(d);
|
pci_disable_msix(d);
)
...
* pci_irq_vector@u(d, e)

// report and org print each match alone, with no context diff
@found depends on org || report@
expression d, e;
position u;
@@
(
pci_free_irq_vectors(d);
|
pci_disable_msi(d);
|
pci_disable_msix(d);
)
...
 pci_irq_vector@u(d, e)

@script:python depends on org@
u << found.u;
@@
cocci.print_main("vector read after the release", u)

@script:python depends on report@
u << found.u;
@@
coccilib.report.print_report(u[0], "vector read after the vectors were released")
