# The reference's link examples (url, urls, change_shorturl, set_enabled, set_tag,
# set_expiration_count, delete, get_entry, get_entries with its qr dict, multi login → get_entries),
# as the reference sends them, against BASE (default http://127.0.0.1:8787). Each example logs in
# first, as the reference does. Also follows the short links: 302 to the target, 404 disabled,
# 410 past the click limit. Run: /usr/bin/python3 scripts/reference/links.py
import hashlib
import json
import os
import sys

import requests

BASE = os.environ.get("BASE", "http://127.0.0.1:8787")
suffix = os.environ.get("SUFFIX", str(os.getpid()))
username = "Test User L" + suffix
password = "Trial151!"
digest = lambda p: hashlib.sha256(hashlib.sha256(p.encode()).digest()).hexdigest()


def show(name, response):
    ok = response.get("status") == "success"
    print(("OK   " if ok else "FAIL ") + name + " " + json.dumps(response)[:200])
    if not ok:
        sys.exit(1)
    return response


def check(name, cond, detail=""):
    print(("OK   " if cond else "FAIL ") + name + " " + str(detail))
    if not cond:
        sys.exit(1)


def local(shorturl):
    # https://ww7.io/<code> resolves locally as BASE/<code> (the default host).
    return BASE + "/" + shorturl.rsplit("/", 1)[1]


requests.post(BASE + "/v2/signup", json.dumps({"email": "l" + suffix + "@nowhere.com", "username": username, "password": digest(password)}))
query = {"username_email": username, "password": digest(password)}
response = requests.post(BASE + "/v2/login", json.dumps(query)).json()

# url
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "url": "https://examle.com/", "tag": 0x8008}
r = show("url", requests.post(BASE + "/v2/url", json.dumps(query)).json())
check("  tag 0x8008 and enabled true", r["output"]["entry"]["tag"] == 32776 and r["output"]["entry"]["enabled"] is True)
go = requests.get(local(r["output"]["entry"]["shorturl"]), allow_redirects=False)
check("  short link redirects", go.status_code == 302 and go.headers["location"] == "https://examle.com/", go.status_code)

# urls
urls = ["https://en.wikipedia.org", "https://youtube.com", "https://amazon.com", "https://facebook.com", "https://twitter.com"]
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "tag": 0x8008, "urls": urls}
r = show("urls", requests.post(BASE + "/v2/urls", json.dumps(query)).json())
check("  weight 1500, order kept", r["weight"] == 1500 and [e["url"] for e in r["output"]["entries"]] == urls)

# change_shorturl
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "url": "https://www.example.com/"}
url_response = requests.post(BASE + "/v2/url", json.dumps(query)).json()
fancy = "https://ww7.io/fanciest" + suffix[-6:]
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "shorturl_old": url_response["output"]["entry"]["shorturl"], "shorturl_new": fancy}
show("change_shorturl", requests.post(BASE + "/v2/change_shorturl", json.dumps(query)).json())
check("  old link gone", requests.get(local(url_response["output"]["entry"]["shorturl"]), allow_redirects=False).status_code == 404)
check("  new link redirects", requests.get(local(fancy), allow_redirects=False).status_code == 302)

# set_enabled
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "url": "https://www.example.com"}
url_response = requests.post(BASE + "/v2/url", json.dumps(query)).json()
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "shorturl": url_response["output"]["entry"]["shorturl"], "enabled": False}
show("set_enabled", requests.post(BASE + "/v2/set_enabled", json.dumps(query)).json())
check("  disabled link is 404", requests.get(local(url_response["output"]["entry"]["shorturl"]), allow_redirects=False).status_code == 404)

# set_tag
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "shorturl": url_response["output"]["entry"]["shorturl"], "tag": 0x123456789A}
show("set_tag", requests.post(BASE + "/v2/set_tag", json.dumps(query)).json())

# set_expiration_count
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "url": "https://www.example.com"}
url_response = requests.post(BASE + "/v2/url", json.dumps(query)).json()
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "shorturl": url_response["output"]["entry"]["shorturl"], "expiration_count": 2}
show("set_expiration_count", requests.post(BASE + "/v2/set_expiration_count", json.dumps(query)).json())
codes = [requests.get(local(url_response["output"]["entry"]["shorturl"]), allow_redirects=False).status_code for _ in range(3)]
check("  exactly 2 clicks, then 410", codes == [302, 302, 410], codes)

# delete
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "shorturl": url_response["output"]["entry"]["shorturl"]}
show("delete", requests.post(BASE + "/v2/delete", json.dumps(query)).json())

# get_entry
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "url": "https://www.example.com/"}
url_response = requests.post(BASE + "/v2/url", json.dumps(query)).json()
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "shorturl": url_response["output"]["entry"]["shorturl"]}
show("get_entry", requests.post(BASE + "/v2/get_entry", json.dumps(query)).json())

# get_entries with the reference's qr dict
query = {"userid": response["output"]["userid"], "token": response["output"]["token"], "count": 2, "start": 1,
         "qr": {"format": "png", "bg": "#ffffff00", "fg": "#4444aa", "level": "M", "border": 1}}
r = show("get_entries", requests.post(BASE + "/v2/get_entries", json.dumps(query)).json())
check("  2 entries, orders 1 and 2, PNG QR codes, weight 1200",
      [e["order"] for e in r["output"]["entries"]] == [1, 2] and all(e["qrcode"]["format"] == "png" and e["qrcode"]["encoding"] == "base64" for e in r["output"]["entries"]) and r["weight"] == 1200)

# multi: login broadcast into get_entries
query = {"call_queries": [
    {"type": "login", "broadcast": True, "input": {"username_email": username, "password": digest(password)}},
    {"type": "get_entries", "input": {"count": 2, "start": 1, "qr": False}},
]}
r = show("multi", requests.post(BASE + "/v2/multi", json.dumps(query)).json())
for sub in r["output"]["call_responses"]:
    show("  multi/" + sub["type"], sub)
