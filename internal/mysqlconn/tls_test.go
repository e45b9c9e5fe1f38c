package mysqlconn

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pki is a test CA with a server certificate for db.example and 127.0.0.1,
// and a client certificate, all written as PEM files in dir.
type pki struct {
	dir        string
	caFile     string
	otherCA    string // a CA that signed nothing we use
	clientCert string
	clientKey  string
	server     tls.Certificate
}

func newPKI(t *testing.T) pki {
	t.Helper()
	dir := t.TempDir()
	p := pki{dir: dir}
	caKey, caCert, caDER := makeCA(t, "test CA")
	p.caFile = writePEM(t, dir, "ca.pem", "CERTIFICATE", caDER)
	_, _, otherDER := makeCA(t, "other CA")
	p.otherCA = writePEM(t, dir, "other-ca.pem", "CERTIFICATE", otherDER)

	srvKey, srvDER := makeLeaf(t, caKey, caCert, "db.example", x509.ExtKeyUsageServerAuth)
	p.server = tls.Certificate{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}

	cliKey, cliDER := makeLeaf(t, caKey, caCert, "monitor", x509.ExtKeyUsageClientAuth)
	p.clientCert = writePEM(t, dir, "client.pem", "CERTIFICATE", cliDER)
	keyDER, err := x509.MarshalECPrivateKey(cliKey)
	if err != nil {
		t.Fatal(err)
	}
	p.clientKey = writePEM(t, dir, "client-key.pem", "EC PRIVATE KEY", keyDER)
	return p
}

func makeCA(t *testing.T, name string) (*ecdsa.PrivateKey, *x509.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert, der
}

func makeLeaf(t *testing.T, caKey *ecdsa.PrivateKey, ca *x509.Certificate, name string, usage x509.ExtKeyUsage) (*ecdsa.PrivateKey, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return key, der
}

func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestResolveTLS(t *testing.T) {
	p := newPKI(t)
	notPEM := filepath.Join(p.dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		file     string // [client] option lines
		mode     SSLMode
		warnPart string // expected part of a warning
		certs    int    // client certificates loaded
		errPart  string
	}{
		{name: "default preferred", mode: SSLPreferred},
		{name: "mode flag ignores case", args: []string{"--ssl-mode=required"}, mode: SSLRequired},
		{name: "disabled", args: []string{"--ssl-mode", "DISABLED"}, mode: SSLDisabled},
		{name: "bad mode flag", args: []string{"--ssl-mode", "ON"}, errPart: "--ssl-mode must be one of DISABLED, PREFERRED"},
		{name: "mode from option file", file: "ssl-mode=VERIFY_IDENTITY\n", mode: SSLVerifyIdentity},
		{name: "flag beats option file", args: []string{"--ssl-mode=DISABLED"}, file: "ssl-mode=REQUIRED\n", mode: SSLDisabled},
		{name: "bad mode in option file", file: "ssl_mode=yes\n", errPart: "ssl-mode in the option files"},
		{name: "ssl=0 disables", file: "ssl=0\n", mode: SSLDisabled},
		{name: "skip-ssl disables", file: "skip-ssl\n", mode: SSLDisabled},
		{name: "ssl=1 keeps preferred", file: "ssl=1\n", mode: SSLPreferred},
		{name: "bad ssl value", file: "ssl=maybe\n", errPart: "ssl in the option files must be 0 or 1"},
		{name: "ssl-mode beats ssl=0", file: "ssl=0\nssl-mode=REQUIRED\n", mode: SSLRequired},
		{name: "MariaDB ssl-verify-server-cert", file: "ssl-verify-server-cert\n", mode: SSLVerifyIdentity},
		{name: "CA implies VERIFY_CA", args: []string{"--ssl-ca", p.caFile}, mode: SSLVerifyCA},
		{name: "CA from option file implies VERIFY_CA", file: "ssl-ca=" + p.caFile + "\n", mode: SSLVerifyCA},
		{name: "explicit REQUIRED with CA warns", args: []string{"--ssl-mode=REQUIRED", "--ssl-ca", p.caFile},
			mode: SSLRequired, warnPart: "no verification of the server certificate"},
		{name: "VERIFY_CA without CA", args: []string{"--ssl-mode=VERIFY_CA"}, errPart: "--ssl-mode=VERIFY_CA needs --ssl-ca"},
		{name: "VERIFY_IDENTITY without CA uses system CAs", args: []string{"--ssl-mode=VERIFY_IDENTITY"}, mode: SSLVerifyIdentity},
		{name: "missing CA file", args: []string{"--ssl-ca", filepath.Join(p.dir, "nope.pem")}, errPart: "cannot read the CA file"},
		{name: "CA file without certificates", args: []string{"--ssl-ca", notPEM}, errPart: "holds no PEM certificate"},
		{name: "missing CA file ignored when disabled", args: []string{"--ssl-mode=DISABLED", "--ssl-ca", "/nope.pem"}, mode: SSLDisabled},
		{name: "client certificate", args: []string{"--ssl-cert", p.clientCert, "--ssl-key", p.clientKey}, mode: SSLPreferred, certs: 1},
		{name: "client certificate from option file", file: "ssl-cert=" + p.clientCert + "\nssl-key=" + p.clientKey + "\n", mode: SSLPreferred, certs: 1},
		{name: "cert without key", args: []string{"--ssl-cert", p.clientCert}, errPart: "--ssl-cert and --ssl-key must be given together"},
		{name: "key without cert", args: []string{"--ssl-key", p.clientKey}, errPart: "--ssl-cert and --ssl-key must be given together"},
		{name: "key that does not match", args: []string{"--ssl-cert", p.clientCert, "--ssl-key", notPEM}, errPart: "cannot load the client certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := setup{args: tt.args}
			if tt.file != "" {
				s.files = map[string]string{"a.cnf": "[client]\n" + tt.file}
			}
			c, err := resolve(t, s)
			if tt.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errPart) {
					t.Fatalf("got error %v, want one containing %q", err, tt.errPart)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if c.SSLMode != tt.mode || len(c.certs) != tt.certs {
				t.Fatalf("got mode %v with %d certificates, want %v with %d", c.SSLMode, len(c.certs), tt.mode, tt.certs)
			}
			warned := strings.Join(c.Warnings, "\n")
			if (tt.warnPart == "") != (warned == "") || !strings.Contains(warned, tt.warnPart) {
				t.Fatalf("got warnings %q, want %q", c.Warnings, tt.warnPart)
			}
		})
	}
}

// TestTLSHandshake checks each mode's client settings against a TLS server
// whose certificate is for db.example, signed by the test CA.
func TestTLSHandshake(t *testing.T) {
	p := newPKI(t)
	tests := []struct {
		name    string
		mode    SSLMode
		ca      string
		host    string
		socket  string
		useTLS  bool // whether a TLS config is produced
		wantErr bool // whether the handshake fails
	}{
		{name: "disabled", mode: SSLDisabled, host: "db.example", useTLS: false},
		{name: "preferred over TCP", mode: SSLPreferred, host: "other.example", useTLS: true},
		{name: "preferred over a socket", mode: SSLPreferred, host: "localhost", socket: "/x.sock", useTLS: false},
		{name: "required does not verify", mode: SSLRequired, host: "other.example", ca: "other", useTLS: true},
		{name: "required over a socket", mode: SSLRequired, host: "localhost", socket: "/x.sock", useTLS: true},
		{name: "verify CA ignores the name", mode: SSLVerifyCA, ca: "test", host: "other.example", useTLS: true},
		{name: "verify CA rejects another CA", mode: SSLVerifyCA, ca: "other", host: "db.example", useTLS: true, wantErr: true},
		{name: "verify identity accepts the name", mode: SSLVerifyIdentity, ca: "test", host: "db.example", useTLS: true},
		{name: "verify identity accepts the IP", mode: SSLVerifyIdentity, ca: "test", host: "127.0.0.1", useTLS: true},
		{name: "verify identity rejects another name", mode: SSLVerifyIdentity, ca: "test", host: "other.example", useTLS: true, wantErr: true},
		{name: "verify identity rejects another CA", mode: SSLVerifyIdentity, ca: "other", host: "db.example", useTLS: true, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Config{Host: tt.host, Port: 3306, Socket: tt.socket, SSLMode: tt.mode,
				SSLCert: p.clientCert, SSLKey: p.clientKey}
			switch tt.ca {
			case "test":
				c.SSLCA = p.caFile
			case "other":
				c.SSLCA = p.otherCA
			}
			if err := c.loadTLSFiles(); err != nil {
				t.Fatal(err)
			}
			cfg, fallback := c.tlsConfig()
			if (cfg != nil) != tt.useTLS {
				t.Fatalf("TLS config %v, want TLS %v", cfg != nil, tt.useTLS)
			}
			if fallback != (tt.mode == SSLPreferred && tt.useTLS) {
				t.Fatalf("fallback %v for mode %v", fallback, tt.mode)
			}
			if cfg == nil {
				return
			}
			err := handshake(t, cfg, p.server)
			if (err != nil) != tt.wantErr {
				t.Fatalf("handshake error %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

// handshake runs a TLS handshake between client settings cfg and a server
// presenting cert and asking for a client certificate.
func handshake(t *testing.T, cfg *tls.Config, cert tls.Certificate) error {
	t.Helper()
	cli, srv := net.Pipe()
	defer cli.Close()
	defer srv.Close()
	done := make(chan *tls.Conn, 1)
	go func() {
		s := tls.Server(srv, &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequestClientCert})
		_ = s.Handshake()
		done <- s
	}()
	c := tls.Client(cli, cfg)
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	err := c.Handshake()
	cli.Close()
	s := <-done
	if err == nil && len(s.ConnectionState().PeerCertificates) != 1 {
		t.Errorf("server did not receive the client certificate")
	}
	return err
}
