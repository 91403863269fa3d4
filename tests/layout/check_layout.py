#!/usr/bin/env python3
"""The layout rules of analyzer/ and reports/, checked on the sources:

- no include cycle between directories (analyzer/<dir>/ and reports/):
  a directory's files may use another's headers only one way round;
- the rules (analyzer/checks/) include nothing of the engine but
  engine/events.h, and the engine includes nothing of analyzer/checks/;
- no .c file under analyzer/ is longer than 1,000 lines.

Files directly in analyzer/ (the subcommands and the shared base: util,
ast, ruleset, findings) are not a directory of their own here.

usage: check_layout.py SOURCE-ROOT; prints each violation, exits 1 on any.
"""
import os
import re
import sys

MAX_LINES = 1000
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def directory_of(root, path):
    """'engine' for analyzer/engine/x.c, 'reports' for reports/x.c, else
    None (a file directly in analyzer/, or anything else)."""
    rel = os.path.relpath(path, root).split(os.sep)
    if rel[0] == 'reports':
        return 'reports'
    if rel[0] == 'analyzer' and len(rel) > 2:
        return rel[1]
    return None


def resolve(root, including, name):
    """The file an #include "name" of `including` names, or None."""
    for base in (os.path.dirname(including), os.path.join(root, 'analyzer'),
                 root):
        candidate = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(candidate):
            return candidate
    return None


def sources(root):
    for top in ('analyzer', 'reports'):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if f.endswith(('.c', '.h')):
                    yield os.path.join(dirpath, f)


def find_cycle(edges):
    """A list of directories forming a cycle, or None."""
    state = {}
    stack = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(edges.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if not state.get(m):
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(edges):
        if not state.get(n):
            found = visit(n)
            if found:
                return found
    return None


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    problems = []
    edges = {}
    why = {}
    for path in sources(root):
        rel = os.path.relpath(path, root)
        text = open(path, encoding='utf-8', errors='replace').read()
        if path.endswith('.c') and rel.startswith('analyzer' + os.sep):
            n = text.count('\n')
            if n > MAX_LINES:
                problems.append('%s: %d lines (at most %d)' %
                                (rel, n, MAX_LINES))
        src_dir = directory_of(root, path)
        for name in INCLUDE.findall(text):
            target = resolve(root, path, name)
            if not target:
                continue
            dst_dir = directory_of(root, target)
            trel = os.path.relpath(target, root)
            if src_dir == 'checks' and dst_dir == 'engine' and \
                    trel != os.path.join('analyzer', 'engine', 'events.h'):
                problems.append('%s includes %s: a rule may include only '
                                'engine/events.h of the engine' % (rel, trel))
            if src_dir == 'engine' and dst_dir == 'checks':
                problems.append('%s includes %s: the engine never includes '
                                'a rule' % (rel, trel))
            if src_dir and dst_dir and src_dir != dst_dir:
                edges.setdefault(src_dir, set()).add(dst_dir)
                why.setdefault((src_dir, dst_dir), '%s -> %s' % (rel, trel))
    cycle = find_cycle(edges)
    if cycle:
        steps = ['%s (%s)' % (a, why[(a, b)])
                 for a, b in zip(cycle, cycle[1:])]
        problems.append('include cycle between directories: ' +
                        ' -> '.join(steps))
    for p in problems:
        print(p)
    if not problems:
        print('layout: %d directories, no include cycle, rules see only '
              'engine/events.h, every analyzer .c under %d lines' %
              (len(set(edges) | {d for s in edges.values() for d in s}),
               MAX_LINES))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
