#!/usr/bin/python3
"""Remakes the JWT test keys in this folder (needs python3-cryptography; tests only).

rfc7515-rs256.pem and rfc7515-es256.pem are the public keys of RFC 7515 Appendix A.2 and A.3
(their JWKs turned into PEM); the other keys are made fresh, so the tests sign with them.
"""
import base64
import os
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

os.chdir(os.path.dirname(os.path.abspath(__file__)))


def b64url(text):
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


def write_public(name, key):
    with open(name, "wb") as out:
        out.write(key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))


def write_private(name, key):
    with open(name, "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))


# RFC 7515 A.2.1: the RSA key's n and e.
rfc_n = ("ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS"
         "-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2Ca"
         "pHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb5"
         "4h4FRWyuXpoQ")
write_public("rfc7515-rs256.pem", rsa.RSAPublicNumbers(b64url("AQAB"), b64url(rfc_n)).public_key())
# RFC 7515 A.3.1: the P-256 key's x and y.
rfc_x, rfc_y = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
write_public("rfc7515-es256.pem", ec.EllipticCurvePublicNumbers(b64url(rfc_x), b64url(rfc_y), ec.SECP256R1()).public_key())

# Keys the tests sign with (their private halves are here too: the tests sign through OpenSSL).
es256 = ec.generate_private_key(ec.SECP256R1())
write_private("es256.key", es256)
write_public("es256.pem", es256.public_key())
rs256 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
write_private("rs256.key", rs256)
write_public("rs256.pem", rs256.public_key())
# Keys the verifier must refuse: P-384, a 1024-bit RSA key, Ed25519.
write_public("p384.pem", ec.generate_private_key(ec.SECP384R1()).public_key())
write_public("rsa1024.pem", rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key())
from cryptography.hazmat.primitives.asymmetric import ed25519
write_public("ed25519.pem", ed25519.Ed25519PrivateKey.generate().public_key())
