# (1) irq-pair mismatch, (2) &ptrarray[i] / &ptrlocal type check, (3) loop index mismatch
import sys; sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from parse import *
import collections, glob
res=collections.defaultdict(list)
KW=set('if for while switch return sizeof do else case default goto break continue struct union enum const unsigned signed int long short char void volatile static inline u8 u16 u32 u64 bool true false NULL typeof'.split())
decl_cache={}
def dir_text(d):
    if d not in decl_cache:
        t=''
        for f in glob.glob(d+'/*.[ch]'):
            try: t+=strip(open(f,errors='replace').read())+'\n'
            except: pass
        decl_cache[d]=t
    return decl_cache[d]

def loops(s, a, b):
    """return list of (hdr_start, body_start, body_end, header_text, kind) in s[a:b]"""
    out=[]
    for m in re.finditer(r'\b(for|while|\w*for_each\w*)\s*\(',s[a:b]):
        st=a+m.start(); op=a+m.end()-1; cl=match(s,op)
        if cl<0: continue
        hdr=s[op+1:cl]
        # do-while tail: "} while (...);"
        j=cl+1
        while j<len(s) and s[j] in ' \t\n': j+=1
        if m.group(1)=='while':
            k=st-1
            while k>a and s[k] in ' \t\n': k-=1
            if s[k]=='}' and j<len(s) and s[j]==';':
                # find matching '{' backwards
                d=0;kk=k
                while kk>a:
                    if s[kk]=='}': d+=1
                    elif s[kk]=='{':
                        d-=1
                        if d==0: break
                    kk-=1
                out.append((st,kk,k,hdr,'dowhile')); continue
        if j<len(s) and s[j]=='{':
            e=match(s,j,'{','}')
            out.append((st,j,e,hdr,m.group(1)))
        else:
            # single statement: to next ';' at depth 0 (nested statements handled crudely)
            d=0;e=j
            # handle nested if/for without braces: find end of statement
            while e<len(s):
                c=s[e]
                if c in '([': d+=1
                elif c in ')]': d-=1
                elif c=='{' and d==0:
                    e=match(s,e,'{','}'); 
                    # if followed by else continue
                    rest=s[e+1:e+20].lstrip()
                    if not rest.startswith('else'): break
                elif c==';' and d==0:
                    rest=s[e+1:e+30].lstrip()
                    if rest.startswith('else'): e+=1; continue
                    break
                e+=1
            out.append((st,j,e,hdr,m.group(1)))
    return out

def idents(e):
    # base identifiers: not after . or ->, not followed by (, not ALLCAPS macro
    out=[]
    for m in re.finditer(r'(?<![\w.>])([A-Za-z_]\w*)',e):
        nm=m.group(1); pre=e[:m.start()].rstrip()
        if pre.endswith('.') or pre.endswith('->'): continue
        post=e[m.end():].lstrip()
        if post.startswith('('): continue
        if nm in KW or nm.isupper(): continue
        out.append(nm)
    return out

def index_idents(e):
    """identifiers used as an index: inside [] or as non-first args of calls (pci_irq_vector(pdev, i)), or in +/- arithmetic"""
    out=set()
    for m in re.finditer(r'\[([^\[\]]*)\]',e):
        out|=set(idents(m.group(1)))
    for m in re.finditer(r'\w+\s*\(([^()]*)\)',e):
        parts=splitargs(m.group(1))
        for p in parts[1:]: out|=set(idents(p))
    for m in re.finditer(r'[+-]\s*([A-Za-z_]\w*)\b(?!\s*(->|\.|\[|\())',e):
        out.add(m.group(1))
    return out

def modified(body, v):
    return re.search(r'(\+\+|--)\s*\b%s\b|\b%s\s*(\+\+|--|[+\-*/|&]?=(?!=))'%(v,v),body) is not None

for d in ['drivers','sound']:
  for dp,dn,fn in os.walk(os.path.join(ROOT,d)):
    for f in fn:
      if not f.endswith('.c'): continue
      p=os.path.join(dp,f); rel=os.path.relpath(p,ROOT)
      src=open(p,errors='replace').read()
      if not callre.search(src): continue
      s=strip(src)
      cs=calls(s); fs=functions(s)
      def fof(pos):
        for n,a,b in fs:
          if a<=pos<=b: return (n,a,b)
        return None
      reqs=[];frees=[]
      for c in cs:
        spec=ALL[c['name']]
        if len(c['args'])<=spec[1]: continue
        pre=s[max(0,c['pos']-2):c['pos']]
        if pre.endswith('.') or pre.endswith('->'): continue
        c['dev']=norm(c['args'][spec[1]])
        ii=spec[0]; ii=ii if isinstance(ii,tuple) else (ii,)
        c['irq']=','.join(norm(c['args'][k]) for k in ii)
        c['f']=fof(c['pos']); c['line']=lineno(s,c['pos'])
        if c['f'] is None: continue
        (reqs if c['name'] in REQ else frees).append(c)
      for fr in frees:
        # (1) irq pairing
        same=[r for r in reqs if r['irq']==fr['irq']]
        if same and not any(r['dev']==fr['dev'] for r in same):
            res['irqpair'].append((rel,fr['line'],fr['f'][0],fr['irq'],fr['dev'],[(r['line'],r['dev']) for r in same]))
        # (2) type check
        m=re.match(r'^&\(?([\w.>\-]*?)(\w+)\[[^\]]*\]\)?$',fr['dev'])
        if m:
            mem=m.group(2)
            t=dir_text(os.path.dirname(p))
            if re.search(r'\*\s*\*\s*%s\s*;'%mem,t) or re.search(r'\*\s*%s\s*\[[^\]]*\]\s*;'%mem,t):
                res['ptrarray'].append((rel,fr['line'],fr['f'][0],fr['irq'],fr['dev']))
        m=re.match(r'^&(\w+)$',fr['dev'])
        if m:
            v=m.group(1); body=s[fr['f'][1]:fr['f'][2]]
            fa=s[max(0,fr['f'][1]-600):fr['f'][1]]
            if re.search(r'\*\s*%s\b\s*[;=,)]'%v,body+fa):
                res['addrptr'].append((rel,fr['line'],fr['f'][0],fr['irq'],fr['dev']))
        # (3) loops
        n,a,b=fr['f']
        ls=[l for l in loops(s,a,b) if l[1]<=fr['pos']<=l[2]]
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
            else:
                loopvars|=set(idents(hdr))
        inner=ls[-1] if False else max(ls,key=lambda l:l[1])
        body_all=s[min(l[1] for l in ls):max(l[2] for l in ls)]
        body_in=s[inner[1]:inner[2]]
        args=', '.join(fr['args'])
        idx=set()
        for k,aexp in enumerate(fr['args']): idx|=index_idents(aexp)
        stale=[v for v in idx if v not in loopvars and not modified(body_all,v)]
        allid=set()
        for aexp in fr['args']: allid|=set(idents(aexp))
        changes=[v for v in allid if v in loopvars or modified(body_in,v)]
        if stale:
            res['loop_stale'].append((rel,fr['line'],n,args,sorted(loopvars),stale))
        elif not changes:
            res['loop_nochange'].append((rel,fr['line'],n,args,sorted(loopvars)))
        # irq vs dev index mismatch
        irqargs=fr['args'][:len(fr['args'])-1]; devarg=fr['args'][-1] if fr['name']!='free_irq' else fr['args'][1]
        if fr['name']=='free_irq': irqargs=[fr['args'][0]]
        ii=set();[ii.update(index_idents(x)) for x in irqargs]
        di=index_idents(devarg)
        ii&=loopvars|set(v for v in ii if modified(body_all,v)); di&=loopvars|set(v for v in di if modified(body_all,v))
        if ii and di and not (ii&di):
            res['loop_diffidx'].append((rel,fr['line'],n,args,sorted(ii),sorted(di)))
json.dump(res,open(__import__('os').environ.get('OUT', '.') + '/b.json','w'),indent=0)
for k,v in res.items(): print(k,len(v))
