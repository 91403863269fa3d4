import sys; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from parse import *
tot=0;nof=[]
for d in ['drivers','sound']:
  for dp,dn,fn in os.walk(os.path.join(ROOT,d)):
    for f in fn:
      if not f.endswith('.c'): continue
      p=os.path.join(dp,f); rel=os.path.relpath(p,ROOT)
      src=open(p,errors='replace').read()
      if not callre.search(src): continue
      s=strip(src); fs=functions(s)
      for c in calls(s):
        if c['name'] not in FREE: continue
        tot+=1
        if not any(a<=c['pos']<=b for n,a,b in fs): nof.append((rel,lineno(s,c['pos']),c['args']))
print(tot,len(nof))
for x in nof: print(x)
