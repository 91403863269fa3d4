import sys; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from parse import *
import collections
out=[]
stats=collections.Counter()
for d in ['drivers','sound']:
  for dp,dn,fn in os.walk(os.path.join(ROOT,d)):
    for f in fn:
      if not f.endswith('.c'): continue
      p=os.path.join(dp,f); rel=os.path.relpath(p,ROOT)
      src=open(p,errors='replace').read()
      if not callre.search(src): continue
      s=strip(src)
      cs=calls(s)
      fs=functions(s)
      def fof(pos):
        for n,a,b in fs:
          if a<=pos<=b: return n
        return None
      reqs=[];frees=[]
      for c in cs:
        spec=ALL[c['name']]
        if len(c['args'])<=spec[1]: continue
        c['dev']=norm(c['args'][spec[1]])
        ii=spec[0]; ii=ii if isinstance(ii,tuple) else (ii,)
        c['irq']=','.join(norm(c['args'][k]) for k in ii)
        c['func']=fof(c['pos']); c['line']=lineno(s,c['pos'])
        if c['func'] is None: continue  # macro bodies etc
        (reqs if c['name'] in REQ else frees).append(c)
      rdevs=set(r['dev'] for r in reqs)
      for fr in frees:
        stats['frees']+=1
        samef=[r for r in reqs if r['func']==fr['func']]
        if fr['dev'] in rdevs: continue
        kind='samefunc' if samef else ('file' if reqs else 'noreq')
        stats[kind]+=1
        out.append(dict(file=rel,line=fr['line'],func=fr['func'],call=fr['name'],irq=fr['irq'],dev=fr['dev'],kind=kind,
            reqs=[(r['line'],r['func'],r['irq'],r['dev']) for r in (samef or reqs)]))
json.dump(out,open(__import__('os').environ.get('OUT', '.') + '/a.json','w'),indent=0)
print(stats)
