# The reference's get_protected_file_info example, as printed (base URL changed only; the
# indentation the text lost restored; the print("\nQuery") lines the text broke rejoined).
import requests, json, hashlib
import mimetypes, os, secrets, sys
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
    return iv + data_encrypted + tag
#
# Encrypt data
#
def decrypt_data(data, password):
    #
    # 256-bit key is double-sha256 of file password
    #
    key = hashlib.sha256(hashlib.sha256(password.encode()).digest()).digest()
    #
    # Encrypt data
    #
    iv = data[:12]
    tag = data[-16:]
    cipher = AES.new(key, AES.MODE_GCM, nonce=iv, mac_len=16)
    try:
        data_decrypted = cipher.decrypt_and_verify(data[12:-16],tag)
    except:
        print('Incorrect password or corrupted data.')
        sys.exit()
    return data_decrypted
#
# Encrypt data, generate challenge-signature pair
#
def encrypt_file(rawdata, password):
    challenge = secrets.token_bytes(16)
    signature = encrypt_data(challenge, password)
    rawdata = encrypt_data(rawdata , password)
    return int.to_bytes(len(rawdata),4,'little')+rawdata, challenge.hex(), signature.hex()
#
# Some input information
#
username = "Test User"
password = "Trial151!"
filepassword = 'TestPassword'
#
# Log in to get userid and token
#
query = {
    "username_email": username,
    "password": hashlib.sha256(hashlib.sha256(password.encode()).digest()).hexdigest(),
}
response_login = requests.post("http://127.0.0.1:8794/v2/login", json.dumps(query)).json()
#
# Put a file with encryption and get host and code for the short link
#
filename = "sample-image.png"
filesize = os.stat(filename).st_size
filetype, _ = mimetypes.guess_type(filename)
file = open(filename, 'rb')
rawdata = file.read()
file.close()
rawdata, challenge, signature = encrypt_file(rawdata, filepassword)
query = {
    "userid": response_login['output']['userid'],
    "token": response_login['output']['token'],
    "filename": filename,
    "filesize": filesize,
    "filetype": filetype,
    "tag": 1000,
    "challenge": challenge,
    "signature": signature,
    "encryption": 1,
}
files = {
    "query": (None, json.dumps(query), 'application/json'),
    filename: (filename, rawdata, filetype)
}
response_file = requests.post("http://127.0.0.1:8794/v2/file", files=files).json()
#
# Get signature for the file accessed by the short link, and resolve the challenge word
#
query = {
    "shorturl": response_file['output']['entry']['shorturl'],
}
response_get_signature = requests.post("http://127.0.0.1:8794/v2/get_signature", json.dumps(query)).json()
#
# Find the challenge using the file-password and encoded signature
#
signature = bytes.fromhex(response_get_signature['output']['signature'])
challenge = decrypt_data(signature, filepassword).hex()
#
# Get the protected file information for download
#
query = {
    "shorturl": response_file['output']['entry']['shorturl'],
    "challenge": challenge,
}
response_get_protected_file_info = requests.post("http://127.0.0.1:8794/v2/get_protected_file_info", json.dumps(query)).json()
#
# Download & Decrypt & Write the file
#
rawdata = requests.get(response_get_protected_file_info['output']['url']).content
if int.from_bytes(rawdata[:4],'little') != (len(rawdata)-4):
    print('Length of data is incorrect.')
    sys.exit()
rawdata = decrypt_data(rawdata[4:], filepassword)
file = open('downloaded-' + response_get_protected_file_info['output']['filename'], 'wb')
file.write(rawdata)
print("\nQuery")
print(json.dumps(query, indent=2))
print("\n")
print("\nResponse")
print((json.dumps(response_get_protected_file_info, indent=2, ensure_ascii=False).encode('utf8')).decode())
print("\n")
