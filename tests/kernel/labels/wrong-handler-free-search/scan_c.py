import sys; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
exec(open('scan_b.py').read().split("for d in ['drivers','sound']:")[0])
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
      for c in calls(s):
        if c['name'] not in FREE: continue
        pre=s[max(0,c['pos']-2):c['pos']]
        if pre.endswith('.') or pre.endswith('->'): continue
        fo=[x for x in fs if x[1]<=c['pos']<=x[2]]
        if not fo: continue
        n,a,b=fo[0]
        ls=[l for l in loops(s,a,b) if l[1]<=c['pos']<=l[2]]
        if not ls: continue
        loopvars=set()
        for (st,bs,be,hdr,kind) in ls:
            parts=hdr.split(';')
            if kind=='for' and len(parts)==3:
                for part in (parts[0],parts[2]):
                    for v in set(idents(part)):
                        if modified(part,v): loopvars.add(v)
            elif kind in('while','dowhile'):
                for v in set(idents(hdr)):
                    if modified(hdr,v) or modified(s[bs:be],v): loopvars.add(v)
            else: loopvars|=set(idents(hdr))
        inner=max(ls,key=lambda l:l[1])
        body_all=s[min(l[1] for l in ls):max(l[2] for l in ls)]
        body_in=s[inner[1]:c['pos']]
        allid=set()
        for aexp in c['args']: allid|=set(idents(aexp))
        for v in allid:
            for m in re.finditer(r'\b%s\s*=(?!=)\s*([^;]*);'%v, body_in):
                rhs=m.group(1)
                ix=index_idents(rhs)
                stale=[x for x in ix if x not in loopvars and not modified(body_all,x)]
                if stale:
                    out.append((rel,lineno(s,c['pos']),n,', '.join(c['args']),v,rhs.strip(),sorted(loopvars),stale))
for o in out: print(o)
