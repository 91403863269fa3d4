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
        inner=max(ls,key=lambda l:l[1])
        st,bs,be,hdr,kind=inner
        lv=set()
        parts=hdr.split(';')
        if kind=='for' and len(parts)==3:
            for part in (parts[0],parts[2]):
                for v in set(idents(part)):
                    if modified(part,v): lv.add(v)
        elif kind in('while','dowhile'):
            for v in set(idents(hdr)):
                if modified(hdr,v) or modified(s[bs:be],v): lv.add(v)
        else: lv|=set(idents(hdr))
        body=s[bs:be]
        deps=set()
        for aexp in c['args']: deps|=set(idents(aexp))
        # post-increment in args counts as varying
        argtxt=' '.join(c['args'])
        if re.search(r'\+\+|--',argtxt): continue
        for _ in range(3):
            new=set(deps)
            for v in deps:
                for m in re.finditer(r'(?<![\w.>])%s\s*=(?!=)\s*([^;]*);'%v, body):
                    new|=set(idents(m.group(1)))
                    new.add('__assigned__'+v)
            deps=new
        pass
        def dep(exprs):
            dd=set()
            for e in exprs: dd|=set(idents(e))
            for _ in range(3):
                new=set(dd)
                for v in dd:
                    for m in re.finditer(r'(?<![\w.>])%s\s*=(?!=)\s*([^;]*);'%v, body):
                        new|=set(idents(m.group(1)))
                dd=new
            return dd
        spec=FREE[c['name']]; ii=spec[0]; ii=ii if isinstance(ii,tuple) else (ii,)
        if len(c['args'])<=spec[1]: continue
        di=dep([c['args'][k] for k in ii]); dd=dep([c['args'][spec[1]]])
        vary=lambda ds: bool(ds & lv) or any(modified(body,v) for v in ds)
        if vary(di)!=vary(dd):
            out.append((rel,lineno(s,c['pos']),n,hdr.strip()[:50],argtxt.replace('\n',' ')[:110],'irqvaries' if vary(di) else 'devvaries'))
for o in out: print(o)
