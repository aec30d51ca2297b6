# The reference's `file` example, as printed (base URL changed only; the indentation the text lost
# restored; the last line prints the response). `encrypt` is True as in the reference; the plain
# run sets it False through the environment variable ENCRYPT=0.
import requests, json, hashlib
import mimetypes, os, secrets
from Crypto.Cipher import AES
#
# Encrypt data
#
def encrypt_data(data, password):
    #
    # 256-bit key is double-sha256 of file password
    #
    key = hashlib.sha256(hashlib.sha256(password.encode()).digest()).digest()
    #
    # Encrypt data
    #
    iv = secrets.token_bytes(12)
    cipher = AES.new(key, AES.MODE_GCM, nonce=iv, mac_len=16)
    data_encrypted, tag = cipher.encrypt_and_digest(data)
    return iv+data_encrypted+tag
#
# Encrypt data, generate challenge-signature pair
#
def encrypt_file(rawdata, password):
    challenge = secrets.token_bytes(16)
    signature = encrypt_data(challenge, password)
    rawdata = encrypt_data(rawdata , password)
    return int.to_bytes(len(rawdata),4,'little')+rawdata, challenge.hex(), signature.hex()
username = "Test User"
password = "Trial151!"
query = {
    "username_email" : username,
    "password" : hashlib.sha256(hashlib.sha256(password.encode()).digest()).hexdigest(),
}
resp_login = requests.post("http://127.0.0.1:8794/v2/login", json.dumps(query)).json()
filename = "sample-image.png"
filesize = os.stat(filename).st_size
filetype,_ = mimetypes.guess_type(filename)
file = open(filename, 'rb')
rawdata = file.read()
file.close()
query = {
    "userid" : resp_login['output']['userid'],
    "token" : resp_login['output']['token'],
    "filename" : filename,
    "filesize" : filesize,
    "filetype" : filetype,
}
encrypt = os.environ.get("ENCRYPT", "1") == "1"
if encrypt:
    filepassword = "TestPassword"
    rawdata, challenge, signature = encrypt_file(rawdata, filepassword)
    query['challenge'] = challenge
    query['signature'] = signature
    query['encryption'] = 1
files = {
    "query": (None, json.dumps(query), 'application/json'),
    filename: (filename, rawdata, filetype)
}
response = requests.post("http://127.0.0.1:8794/v2/file", files=files).json()
print(json.dumps(response, indent=2))
