package sandbox

import (
	"crypto/tls"
	"crypto/x509"
	"strings"
	"testing"
)

func TestCAIssue(t *testing.T) {
	ca, err := NewCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f, err := ca.Issue("db1", "127.0.0.1", "db1.test")
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.LoadX509KeyPair(f.Cert, f.Key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"127.0.0.1", "db1.test"} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: host}); err != nil {
			t.Errorf("verify for %s: %v", host, err)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: ca.Pool(), DNSName: "localhost"}); err == nil {
		t.Error("certificate verified for a name it does not carry")
	}
	other, _ := NewCA(t.TempDir())
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: other.Pool()}); err == nil {
		t.Error("certificate verified against another CA")
	}
	if f.CA != ca.CertFile {
		t.Errorf("CA file %s, want %s", f.CA, ca.CertFile)
	}
	if _, err := ca.Issue("bad name"); err == nil {
		t.Error("Issue accepted a bad name and no host")
	}
}

func TestTLSCnf(t *testing.T) {
	ca, err := NewCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f, err := ca.Issue("s", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	topo := Pair()
	topo.Server("m1").TLS = &f
	if err := topo.validate(); err != nil {
		t.Fatal(err)
	}
	c := topo.clone()
	c.Server("m1").TLS.Cert = "changed"
	if topo.Server("m1").TLS.Cert != f.Cert {
		t.Error("clone shares the TLS files with the original")
	}
	cnf := renderCnf(&Server{Spec: *topo.Server("m1")})
	for _, want := range []string{"ssl_ca=" + f.CA, "ssl_cert=" + f.Cert, "ssl_key=" + f.Key} {
		if !strings.Contains(cnf, "\n"+want+"\n") {
			t.Errorf("my.cnf lacks %q:\n%s", want, cnf)
		}
	}
	topo.Server("r1").TLS = &TLSFiles{CA: f.CA, Cert: f.Cert + ".missing", Key: f.Key}
	if err := topo.validate(); err == nil || !strings.Contains(err.Error(), "r1") {
		t.Errorf("missing certificate file: %v", err)
	}
}
