"""Real X.509 material for Key Vault certificates (self-signed per policy,
or imported PFX/PEM), so rotated certificates can be inspected and served."""

import base64
import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PFX = "application/x-pkcs12"
PEM = "application/x-pem-file"


def _subject(text: str) -> x509.Name:
    oids = {"CN": NameOID.COMMON_NAME, "O": NameOID.ORGANIZATION_NAME, "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
            "C": NameOID.COUNTRY_NAME, "L": NameOID.LOCALITY_NAME, "ST": NameOID.STATE_OR_PROVINCE_NAME}
    attrs = []
    for part in (text or "CN=sandbox").split(","):
        key, _, value = part.strip().partition("=")
        if key.upper() in oids and value:
            attrs.append(x509.NameAttribute(oids[key.upper()], value))
    return x509.Name(attrs)


def self_signed(policy: dict):
    """(private key, certificate) as a Key Vault 'Self' issuer would make them."""
    key_props = policy.get("key_props") or {}
    x509_props = policy.get("x509_props") or {}
    if str(key_props.get("kty", "RSA")).upper().startswith("EC"):
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=int(key_props.get("key_size") or 2048))
    now = datetime.datetime.now(datetime.timezone.utc)
    months = int(x509_props.get("validity_months") or 12)
    name = _subject(x509_props.get("subject", "CN=sandbox"))
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=30 * months)))
    dns = ((x509_props.get("sans") or x509_props.get("subject_alternative_names") or {}).get("dns_names")) or []
    if dns:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in dns]), critical=False)
    builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    return key, builder.sign(key, hashes.SHA256())


def csr_for(key, subject: str) -> str:
    csr = x509.CertificateSigningRequestBuilder().subject_name(_subject(subject)).sign(key, hashes.SHA256())
    return base64.b64encode(csr.public_bytes(serialization.Encoding.DER)).decode()


def load_import(value: str, password: str | None):
    """Parse what CertificateClient.import_certificate sends (base64 PFX or PEM text)."""
    pwd = password.encode() if password else None
    if "-----BEGIN" in value:
        data = value.encode()
        cert = x509.load_pem_x509_certificate(data)
        key = serialization.load_pem_private_key(data, password=pwd)
        return key, cert
    key, cert, _ = pkcs12.load_key_and_certificates(base64.b64decode(value), pwd)
    return key, cert


def secret_value(key, cert, content_type: str) -> str:
    """The certificate's backing secret, as Key Vault exposes it."""
    if content_type == PEM:
        return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
                + cert.public_bytes(serialization.Encoding.PEM)).decode()
    return base64.b64encode(pkcs12.serialize_key_and_certificates(None, key, cert, None, serialization.NoEncryption())).decode()


def der_b64(cert) -> str:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def x5t(cert) -> str:
    return base64.urlsafe_b64encode(cert.fingerprint(hashes.SHA1())).rstrip(b"=").decode()


def validity(cert) -> tuple:
    return int(cert.not_valid_before_utc.timestamp()), int(cert.not_valid_after_utc.timestamp())
