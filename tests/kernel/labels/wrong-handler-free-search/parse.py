import re, os, sys, json
import os
ROOT=os.environ.get('KERNEL', os.path.expanduser('~/.cache/irqcheck/linux-source-6.12'))
REQ={'request_irq':(0,4),'request_threaded_irq':(0,5),'request_any_context_irq':(0,4),
     'pci_request_irq':((0,1),4),'devm_request_irq':(1,5),'devm_request_threaded_irq':(1,6)}
FREE={'free_irq':(0,1),'pci_free_irq':((0,1),2),'devm_free_irq':(1,2)}
ALL=dict(REQ); ALL.update(FREE)
callre=re.compile(r'\b('+'|'.join(sorted(ALL,key=len,reverse=True))+r')\s*\(')

def strip(src):
    out=[];i=0;n=len(src)
    while i<n:
        c=src[i]
        if src.startswith('/*',i):
            j=src.find('*/',i+2); j=n if j<0 else j+2
            out.append(re.sub(r'[^\n]',' ',src[i:j])); i=j
        elif src.startswith('//',i):
            j=src.find('\n',i); j=n if j<0 else j
            out.append(' '*(j-i)); i=j
        elif c in '"\'':
            j=i+1
            while j<n and src[j]!=c:
                if src[j]=='\\': j+=1
                j+=1
            j+=1
            out.append(c+re.sub(r'[^\n]',' ',src[i+1:j-1])+c if j-i>=2 else src[i:j]); i=j
        else:
            out.append(c); i+=1
    s=''.join(out)
    # blank preprocessor lines
    lines=s.split('\n'); res=[];cont=False
    for l in lines:
        if cont or l.lstrip().startswith('#'):
            cont=l.rstrip().endswith('\\')
            res.append(' '*len(l))
        else: res.append(l)
    return '\n'.join(res)

def match(s,i,o='(',c=')'):
    d=0
    for j in range(i,len(s)):
        if s[j]==o:d+=1
        elif s[j]==c:
            d-=1
            if d==0:return j
    return -1

def splitargs(a):
    res=[];d=0;cur=''
    for ch in a:
        if ch in '([{':d+=1
        elif ch in ')]}':d-=1
        if ch==',' and d==0: res.append(cur.strip());cur=''
        else: cur+=ch
    res.append(cur.strip()); return res

def functions(s):
    # top-level braces
    funcs=[];d=0;i=0;n=len(s);start=None
    for i,ch in enumerate(s):
        if ch=='{':
            if d==0:
                start=i
            d+=1
        elif ch=='}':
            d-=1
            if d==0 and start is not None:
                pre=s[max(0,start-400):start]
                m=re.search(r'(\w+)\s*\([^;{}]*\)\s*[\w\s()]*$',pre)
                if m and not re.search(r'=\s*$',pre.rstrip()[:-1] if False else pre) :
                    funcs.append((m.group(1),start,i))
                start=None
            if d<0:d=0
    return funcs

def lineno(s,p): return s.count('\n',0,p)+1

def norm(e):
    e=re.sub(r'\s+','',e)
    e=re.sub(r'^\((void\*|struct\w+\*|\w+\*)\)','',e)
    return e

def calls(s):
    res=[]
    for m in callre.finditer(s):
        name=m.group(1)
        # skip definitions/declarations? require previous non-space char not an identifier type
        op=m.end()-1; cl=match(s,op)
        if cl<0: continue
        args=splitargs(s[op+1:cl])
        res.append(dict(name=name,pos=m.start(),end=cl,args=args))
    return res
