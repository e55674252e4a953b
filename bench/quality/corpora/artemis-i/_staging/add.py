import json,sys
# stdin: lines of JSON objects {"url":..,"outlet":..,"date":..|null,"excerpt":..,"role":"on"|"dis"}
seen={json.loads(l)["url"] for l in open("pages.jsonl")} if __import__("os").path.exists("pages.jsonl") else set()
n=0
with open("pages.jsonl","a") as f:
    for l in sys.stdin:
        l=l.strip()
        if not l: continue
        o=json.loads(l)
        if o["url"] in seen: print("dup",o["url"]); continue
        seen.add(o["url"]); f.write(json.dumps(o)+"\n"); n+=1
print("added",n,"total",len(seen))
