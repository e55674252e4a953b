import json,re,sys
from facts import F,CUR
d=json.load(open("sents.json"))
m={x["name"]:x for x in json.load(open("manifest.json"))}
show = len(sys.argv)>1
res={}
for fid,date,fact,rx in F:
    r=re.compile(rx); hits={}
    for k,ss in d.items():
        h=[s for s in set(ss) if r.search(s)]
        if h: hits[k]=h
    on=[k for k in hits if m[k]["role"]=="on"]; dis=[k for k in hits if m[k]["role"]=="dis"]
    res[fid]=sorted(on)
    print(f"{fid}: {len(on)} on, DIS={dis}")
    if show and (fid in sys.argv[1:] or sys.argv[1]=="all"):
        for k in sorted(hits):
            for s in hits[k]: print("   ",k,"|",s[:220])
for i,rx in enumerate(CUR[2]):
    r=re.compile(rx)
    on=[k for k,ss in d.items() if any(r.search(s) for s in ss)]
    print("CUR",i,[ (k,m[k]["role"]) for k in on])
json.dump(res,open("res.json","w"))
