import sys; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
exec(open('scan_b.py').read().split("for d in ['drivers','sound']:")[0])
def canon(e, body):
    """resolve simple local alias and abstract index vars"""
    e=norm(e)
    forms={e}
    m=re.match(r'^\(?\w+\)?$',e)
    for _ in range(2):
        new=set(forms)
        for f in forms:
            if re.match(r'^\w+$',f):
                for mm in re.finditer(r'(?<![\w.>])%s\s*=(?!=)\s*([^;]*);'%f, body):
                    new.add(norm(mm.group(1)))
        forms=new
    out=set()
    for f in forms:
        f=re.sub(r'^\((void\*|struct\w+\*)\)','',f)
        f=re.sub(r'\[[^\]]*\]','[#]',f)
        f=re.sub(r'^&\((.*)\)$',r'&\1',f)
        f=re.sub(r'^\((.*)\)$',r'\1',f)
        out.add(f)
    return out
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
      for (n,a,b) in fs:
        body=s[a:b]
        rq=[c for c in cs if a<=c['pos']<=b and c['name'] in REQ]
        fr=[c for c in cs if a<=c['pos']<=b and c['name'] in FREE]
        if not rq or not fr: continue
        rforms=set()
        for r in rq:
            sp=REQ[r['name']]
            if len(r['args'])>sp[1]: rforms|=canon(r['args'][sp[1]],body)
        for c in fr:
            sp=FREE[c['name']]
            if len(c['args'])<=sp[1]: continue
            ff=canon(c['args'][sp[1]],body)
            if ff & rforms: continue
            out.append((rel,lineno(s,c['pos']),n,norm(c['args'][sp[1]]),sorted(ff)[:3],sorted(rforms)[:4]))
for o in out: print(o)
