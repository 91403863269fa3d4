// SPDX-License-Identifier: GPL-2.0-only
/// Vectors allocated with pci_alloc_irq_vectors(), pci_enable_msi() or
/// pci_enable_msix_range() on a device that is not managed are leaked
/// when a later step fails and the function returns without releasing
/// them. Where the function's unwind ladder has a label just above a
/// matching release, send the return there; else release them before
/// the failing return, where no label stands between the allocation and
/// the return (paths from before the allocation would join there: a
/// shared unwind ladder, whose return also ends paths where nothing was
/// allocated, maybe after the structure the device is read from is
/// freed).
///
/// irqcheck fix passes the lines of the leaking returns it found as
/// -D lines=L1,L2 (a return on another line is left alone), and validates
/// the result: a release that duplicates one made on the way to the return
/// is caught by the re-scan and the patch is not offered. A file that
/// calls pcim_enable_device() gets no release added.
//
// Confidence: Moderate
// Options: --no-includes --include-headers
//
// Keywords: pci_alloc_irq_vectors, pci_free_irq_vectors, error path

virtual patch
virtual context
virtual org
virtual report

// a driver that enables its device with pcim_enable_device() has its
// vectors released by devres: adding a release would release them twice
@managed_file@
expression d;
@@
pcim_enable_device(d)

@initialize:python@
@@
import re

# lines of returns sent to an unwind label: nothing is added before them
sent_to_label = set()

def label_between(pa, pr):
	# a label between the allocation and the return: paths from before
	# the allocation join there (a shared unwind ladder, smipcie: a
	# release added before its return would run where nothing was
	# allocated, after the structure it reads the device from is freed)
	try:
		lines = open(pa[0].file, encoding="latin-1").read().split("\n")
	except OSError:
		return True
	between = lines[int(pa[0].line):int(pr[0].line) - 1]
	return any(re.match(r"\s*(?!default\b)[A-Za-z_]\w*\s*:(?!:)", l)
		   for l in between)

// An unwind ladder that already releases: send the leaking return to
// the label just above the release ("goto err_free_vectors;", with the
// return value in the variable the ladder returns), so the rest of the
// ladder (disabling the device) runs too. Only a return above the label.
@reuse depends on !managed_file@
expression d, x, E;
identifier alloc = { pci_alloc_irq_vectors, pci_alloc_irq_vectors_affinity,
                     pci_enable_msi, pci_enable_msix_range,
                     pci_enable_msix_exact };
position pr;
@@
x = alloc(d, ...);
... when exists
    when any
return@pr E;

@script:python depends on reuse@
lines << virtual.lines;
pr << reuse.pr;
@@
if pr[0].line not in lines.split(","):
	cocci.include_match(False)

@ladder depends on reuse@
identifier L, ret;
expression reuse.d;
identifier rel = { pci_free_irq_vectors, pci_disable_msi, pci_disable_msix };
position pl;
@@
L:
rel@pl(d);
... when any
return ret;

@script:python ladder_fits@
alloc << reuse.alloc;
rel << ladder.rel;
pr << reuse.pr;
pl << ladder.pl;
@@
fits = (rel == "pci_free_irq_vectors" or
        (rel == "pci_disable_msi" and alloc == "pci_enable_msi") or
        (rel == "pci_disable_msix" and alloc.startswith("pci_enable_msix")))
if not fits or int(pr[0].line) >= int(pl[0].line):
	cocci.include_match(False)
else:
	sent_to_label.add(pr[0].line)

@depends on patch && ladder_fits@
identifier ladder.L, ladder.ret;
expression reuse.E;
position reuse.pr;
@@
(
- return@pr ret;
+ goto L;
|
- return@pr E;
+ ret = E;
+ goto L;
)

@leak depends on !managed_file@
expression d, x, E;
position pa, pr;
@@
(
x = pci_alloc_irq_vectors@pa(d, ...);
|
x = pci_alloc_irq_vectors_affinity@pa(d, ...);
)
... when exists
    when any
return@pr E;

@script:python depends on leak@
lines << virtual.lines;
pa << leak.pa;
pr << leak.pr;
@@
if pr[0].line not in lines.split(",") or pr[0].line in sent_to_label or \
   label_between(pa, pr):
	cocci.include_match(False)

@depends on patch@
expression leak.d, E;
position leak.pr;
@@
+ pci_free_irq_vectors(d);
  return@pr E;

@msi_leak depends on !managed_file@
expression d, x, E;
position pa, pr;
@@
x = pci_enable_msi@pa(d);
... when exists
    when any
return@pr E;

@script:python depends on msi_leak@
lines << virtual.lines;
pa << msi_leak.pa;
pr << msi_leak.pr;
@@
if pr[0].line not in lines.split(",") or pr[0].line in sent_to_label or \
   label_between(pa, pr):
	cocci.include_match(False)

@depends on patch@
expression msi_leak.d, E;
position msi_leak.pr;
@@
+ pci_disable_msi(d);
  return@pr E;

@msix_leak depends on !managed_file@
expression d, x, E;
position pa, pr;
@@
(
x = pci_enable_msix_range@pa(d, ...);
|
x = pci_enable_msix_exact@pa(d, ...);
)
... when exists
    when any
return@pr E;

@script:python depends on msix_leak@
lines << virtual.lines;
pa << msix_leak.pa;
pr << msix_leak.pr;
@@
if pr[0].line not in lines.split(",") or pr[0].line in sent_to_label or \
   label_between(pa, pr):
	cocci.include_match(False)

@depends on patch@
expression msix_leak.d, E;
position msix_leak.pr;
@@
+ pci_disable_msix(d);
  return@pr E;

@depends on context@
expression d, x, E;
position pr;
@@
(
x = pci_alloc_irq_vectors(d, ...);
|
x = pci_enable_msi(d);
|
x = pci_enable_msix_range(d, ...);
)
... when exists
    when any
* return@pr E;

// report and org print each match alone, with no context diff
@shown depends on org || report@
expression d, x, E;
position pr;
@@
(
x = pci_alloc_irq_vectors(d, ...);
|
x = pci_enable_msi(d);
|
x = pci_enable_msix_range(d, ...);
)
... when exists
    when any
 return@pr E;

@script:python depends on org@
pr << shown.pr;
@@
cocci.print_main("return after the vectors were allocated", pr)

@script:python depends on report@
pr << shown.pr;
@@
coccilib.report.print_report(pr[0], "return after the vectors were allocated: check that they are released")
