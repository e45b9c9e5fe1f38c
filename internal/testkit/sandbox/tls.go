package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// CA is a certificate authority made for a test: it signs the certificates
// of sandbox servers (ServerSpec.TLS) and of clients.
type CA struct {
	Dir      string // directory holding the PEM files
	CertFile string // the CA certificate (PEM): ssl_ca of servers, --ssl-ca of clients

	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// TLSFiles are the PEM files of one TLS identity.
type TLSFiles struct {
	CA   string // certificate of the CA that signed Cert
	Cert string // the certificate
	Key  string // its private key
}

var validTLSName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// NewCA creates a CA (ECDSA P-256, valid for a day) and writes its
// certificate to dir/ca.pem.
func NewCA(dir string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sandbox: CA key: %w", err)
	}
	tpl, err := certTemplate("replmon sandbox test CA")
	if err != nil {
		return nil, err
	}
	tpl.IsCA = true
	tpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("sandbox: CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("sandbox: CA certificate: %w", err)
	}
	ca := &CA{Dir: dir, CertFile: filepath.Join(dir, "ca.pem"), cert: cert, key: key}
	if err := writePEM(ca.CertFile, "CERTIFICATE", der); err != nil {
		return nil, err
	}
	return ca, nil
}

// Issue signs a certificate for name, valid for each of hosts (IP
// addresses or DNS names; the first is also the common name) for server
// and client authentication, and writes dir/<name>.pem and
// dir/<name>-key.pem.
func (ca *CA) Issue(name string, hosts ...string) (TLSFiles, error) {
	if !validTLSName.MatchString(name) {
		return TLSFiles{}, fmt.Errorf("sandbox: certificate name %q: use 1 to 32 letters, digits, _ or -", name)
	}
	if len(hosts) == 0 {
		return TLSFiles{}, errors.New("sandbox: a certificate needs at least one host")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return TLSFiles{}, fmt.Errorf("sandbox: key for %s: %w", name, err)
	}
	tpl, err := certTemplate(hosts[0])
	if err != nil {
		return TLSFiles{}, err
	}
	tpl.KeyUsage = x509.KeyUsageDigitalSignature
	tpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tpl.IPAddresses = append(tpl.IPAddresses, ip)
		} else {
			tpl.DNSNames = append(tpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return TLSFiles{}, fmt.Errorf("sandbox: certificate for %s: %w", name, err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return TLSFiles{}, fmt.Errorf("sandbox: key for %s: %w", name, err)
	}
	f := TLSFiles{CA: ca.CertFile, Cert: filepath.Join(ca.Dir, name+".pem"), Key: filepath.Join(ca.Dir, name+"-key.pem")}
	if err := writePEM(f.Cert, "CERTIFICATE", der); err != nil {
		return TLSFiles{}, err
	}
	if err := writePEM(f.Key, "PRIVATE KEY", pkcs8); err != nil {
		return TLSFiles{}, err
	}
	return f, nil
}

// Pool returns a certificate pool trusting only this CA.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

// certTemplate returns a certificate valid from an hour ago for a day.
func certTemplate(cn string) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, fmt.Errorf("sandbox: serial number: %w", err)
	}
	now := time.Now()
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"replmon tests"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		BasicConstraintsValid: true,
	}, nil
}

// writePEM writes one PEM block to a file only its owner can read.
func writePEM(path, typ string, der []byte) error {
	data := pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	return nil
}

// tlsCnf returns the my.cnf lines that make a server offer TLS with f.
func tlsCnf(f *TLSFiles) []string {
	if f == nil {
		return nil
	}
	return []string{"ssl_ca=" + f.CA, "ssl_cert=" + f.Cert, "ssl_key=" + f.Key}
}

// validateTLS checks that the files of a TLS spec exist.
func validateTLS(name string, f *TLSFiles) error {
	if f == nil {
		return nil
	}
	for _, p := range []string{f.CA, f.Cert, f.Key} {
		if p == "" {
			return fmt.Errorf("sandbox: %s: TLS needs a CA, a certificate and a key", name)
		}
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("sandbox: %s: TLS: %w", name, err)
		}
	}
	return nil
}
