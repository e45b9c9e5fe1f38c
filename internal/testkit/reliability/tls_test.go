package reliability

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/replmon/replmon/internal/testkit/sandbox"
)

// TestTLS starts servers with certificates of a CA made by the test: m1
// and r1 offer TLS (certificates for 127.0.0.1 only) and r1 replicates
// from m1 over verified TLS; r2 replicates from m1 in plain text; p1 offers
// no TLS at all.
func TestTLS(t *testing.T) {
	needServers(t)
	dir := t.TempDir()
	ca, err := sandbox.NewCA(dir)
	if err != nil {
		t.Fatal(err)
	}
	other, err := sandbox.NewCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	m1TLS, err := ca.Issue("m1", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	r1TLS, err := ca.Issue("r1", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	sb := startPair(t, sandbox.Topology{Servers: []sandbox.ServerSpec{
		{Name: "m1", ServerID: 1, LogBin: true, TLS: &m1TLS},
		{Name: "r1", ServerID: 11, ReadOnly: true, Sources: []sandbox.Link{{Source: "m1"}}, TLS: &r1TLS},
		{Name: "r2", ServerID: 12, ReadOnly: true, Sources: []sandbox.Link{{Source: "m1"}}},
		{Name: "p1", ServerID: 3},
	}})
	m1, r1, r2, p1 := sb.Server("m1"), sb.Server("r1"), sb.Server("r2"), sb.Server("p1")
	if got := query(t, m1, "SELECT @@have_ssl"); got != "YES" {
		t.Fatalf("m1 have_ssl = %q: the certificates were not taken", got)
	}
	if got := query(t, p1, "SELECT @@have_ssl"); got == "YES" {
		t.Fatalf("p1 have_ssl = %q, want a server without TLS", got)
	}
	mustExec(t, r1, "STOP SLAVE", fmt.Sprintf("CHANGE MASTER TO MASTER_SSL = 1, MASTER_SSL_CA = '%s', MASTER_SSL_VERIFY_SERVER_CERT = 1", ca.CertFile), "START SLAVE")
	waitFor(t, 30*time.Second, "replicating over TLS", func() bool {
		return slaveStatus(t, r1, "Slave_IO_Running") == "Yes" && slaveStatus(t, r1, "Master_SSL_Allowed") == "Yes"
	})
	cnf := monitorCnf(t)
	local := func(s *sandbox.Server) []string { return []string{"-H", "localhost", "-P", strconv.Itoa(s.Port)} }
	withTLS := func(p plug, mode, caFile string, host []string) []string {
		args := []string{"--defaults-file=" + cnf, "--ssl-mode=" + mode}
		if caFile != "" {
			args = append(args, "--ssl-ca="+caFile)
		}
		if host == nil {
			return append(args, p.target(m1.Addr(), r1.Addr())...)
		}
		args = append(args, host...) // instead of the first server of the target
		if p == pChecksum {
			args = append(args, "--replica", r1.Addr())
		}
		return args
	}
	for _, p := range plugins {
		t.Run(p.name, func(t *testing.T) {
			first := r1
			if p == pChecksum {
				first = m1
			}
			res := p.run(t, nil, withTLS(p, "VERIFY_IDENTITY", ca.CertFile, nil)...)
			if verdict(t, p, res, sandbox.MonitorPassword) != 0 {
				t.Errorf("VERIFY_IDENTITY against 127.0.0.1, certified for it: exit %d, want OK", res.Code)
			}

			res = p.run(t, nil, withTLS(p, "VERIFY_IDENTITY", ca.CertFile, local(first))...)
			if verdict(t, p, res, sandbox.MonitorPassword) == 0 || !strings.Contains(res.Summary(), "wanted to match localhost") {
				t.Errorf("VERIFY_IDENTITY against localhost, a name the certificate lacks: want a failure naming the mismatch, got %s", res.Summary())
			}

			res = p.run(t, nil, withTLS(p, "VERIFY_CA", ca.CertFile, local(first))...)
			if verdict(t, p, res, sandbox.MonitorPassword) != 0 {
				t.Errorf("VERIFY_CA checks the CA, not the name: exit %d, want OK", res.Code)
			}

			res = p.run(t, nil, withTLS(p, "VERIFY_CA", other.CertFile, nil)...)
			if verdict(t, p, res, sandbox.MonitorPassword) == 0 || !strings.Contains(res.Summary(), "certificate signed by unknown authority") {
				t.Errorf("VERIFY_CA with another CA: want a failure naming the unknown authority, got %s", res.Summary())
			}

			// Fail closed: REQUIRED never falls back to plain text.
			res = p.run(t, nil, withTLS(p, "REQUIRED", "", []string{"-H", "127.0.0.1", "-P", strconv.Itoa(p1.Port)})...)
			if verdict(t, p, res, sandbox.MonitorPassword) == 0 || !strings.Contains(strings.ToLower(res.Summary()), "tls") {
				t.Errorf("REQUIRED against a server without TLS: want a failure naming TLS, got %s", res.Summary())
			}
			res = p.run(t, nil, withTLS(p, "REQUIRED", "", nil)...)
			if verdict(t, p, res, sandbox.MonitorPassword) != 0 {
				t.Errorf("REQUIRED against servers with TLS: exit %d, want OK", res.Code)
			}
		})
	}

	t.Run("require-ssl", func(t *testing.T) {
		for _, p := range []plug{pIO, pConfig} {
			res := p.run(t, nil, "--defaults-file="+cnf, "-H", "127.0.0.1", "-P", strconv.Itoa(r1.Port), "--require-ssl")
			if verdict(t, p, res, sandbox.MonitorPassword) != 0 {
				t.Errorf("%s --require-ssl on a replica linked over TLS: exit %d, want OK", p.name, res.Code)
			}
		}
		// check_repl_io's own tests cover its CRITICAL on a plain link.
		res := pConfig.run(t, nil, "--defaults-file="+cnf, "-H", "127.0.0.1", "-P", strconv.Itoa(r2.Port), "--require-ssl")
		if verdict(t, pConfig, res, sandbox.MonitorPassword) != 2 || !strings.Contains(res.Summary(), "[replication-ssl] "+r2.Addr()) {
			t.Errorf("check_repl_config --require-ssl on a plain link: want CRITICAL [replication-ssl], got %s", res.Summary())
		}
	})

	t.Run("client certificate", func(t *testing.T) {
		// A client certificate of the same CA is presented and accepted.
		client, err := ca.Issue("client", "monitor")
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, r1, "SET SESSION sql_log_bin = 0",
			"CREATE USER 'x509mon'@'127.0.0.1' IDENTIFIED BY 'x509-Secret-1' REQUIRE X509",
			"GRANT "+strings.Join(sandbox.MonitorGrants, ", ")+" ON *.* TO 'x509mon'@'127.0.0.1'")
		base := []string{"--no-defaults", "-u", "x509mon", "-p", "x509-Secret-1", "-H", "127.0.0.1", "-P", strconv.Itoa(r1.Port),
			"--ssl-mode=VERIFY_IDENTITY", "--ssl-ca=" + ca.CertFile}
		res := pIO.run(t, nil, append(base, "--ssl-cert="+client.Cert, "--ssl-key="+client.Key)...)
		if verdict(t, pIO, res, "x509-Secret-1") != 0 {
			t.Errorf("with the client certificate: exit %d, want OK", res.Code)
		}
		res = pIO.run(t, nil, base...)
		if verdict(t, pIO, res, "x509-Secret-1") == 0 || !strings.Contains(res.Summary(), "Access denied for user 'x509mon'") {
			t.Errorf("without the client certificate: want access denied, got %s", res.Summary())
		}
	})
}
