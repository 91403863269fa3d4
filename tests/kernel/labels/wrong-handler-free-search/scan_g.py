import sys; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
exec(open('scan_f.py').read().split("out=[]")[0])
out=[]
for d in ['drivers','sound']:
  for dp,dn,fn in os.walk(os.path.join(ROOT,d)):
    for f in fn:
      if not f.endswith('.c'): continue
      p=os.path.join(dp,f); rel=os.path.relpath(p,ROOT)
      src=open(p,errors='replace').read()
      if not callre.search(src): continue
      s=strip(src)
      fs=functions(s)
      cs=calls(s)
      items=[]
      for c in cs:
        fo=[x for x in fs if x[1]<=c['pos']<=x[2]]
        if not fo: continue
        body=s[fo[0][1]:fo[0][2]]
        sp=ALL[c['name']]
        if len(c['args'])<=sp[1]: continue
        ii=sp[0]; ii=ii if isinstance(ii,tuple) else (ii,)
        irqc=set()
        if len(ii)==1: irqc=canon(c['args'][ii[0]],body)
        else: irqc={ 'PCI:'+x for x in canon(c['args'][ii[1]],body)}
        devc=canon(c['args'][sp[1]],body)
        items.append((c,irqc,devc,fo[0][0]))
      reqs=[x for x in items if x[0]['name'] in REQ]
      for (c,irqc,devc,fnm) in items:
        if c['name'] not in FREE: continue
        gen={'irq','vector','irq_num','i','j','virq'}
        same=[r for r in reqs if (r[1]&irqc) - gen]
        if not same: continue
        if any(r[2]&devc for r in same): continue
        # also skip if dev matches any request at all in file (handled earlier) -> keep anyway to be thorough
        out.append((rel,lineno(s,c['pos']),fnm,norm(c['args'][ALL[c['name']][1]]),sorted(devc)[:2],[(lineno(s,r[0]['pos']),r[3],sorted(r[2])[:2]) for r in same][:3]))
for o in out: print(o)
