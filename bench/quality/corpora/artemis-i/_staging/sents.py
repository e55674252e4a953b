import sys,re,json,pathlib
sys.path.insert(0,"/work/main")
from bench.quality import gold as g
F=pathlib.Path("/work/main/bench/quality/corpora/artemis-i")
out={}
for p in sorted(F.iterdir()):
    if p.is_file() and p.suffix in (".txt",".html"):
        out[p.name]=g.sentences(p)
json.dump(out,open(F/"_staging/sents.json","w"),indent=0)
print(len(out))
