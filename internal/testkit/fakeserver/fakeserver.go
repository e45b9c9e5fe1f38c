// Package fakeserver is a MySQL server for tests that speaks the real wire
// protocol on 127.0.0.1: it announces a chosen version in its handshake,
// logs one account in with mysql_native_password, and answers each
// statement from a script of recorded result sets, so that the built
// plugins can be run against every server dialect without installing one.
//
// Statements are matched exactly after trimming spaces. A statement the
// script does not hold is answered with a syntax error (1064), as a server
// that does not know it would. Every statement received is recorded, so
// tests can assert that the right one was sent.
package fakeserver

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/replmon/replmon/internal/testkit/fakedb"
	"github.com/replmon/replmon/internal/testkit/fixture"
)

// Result is the answer to one statement: a result set or an error.
type Result = fakedb.Result

// Config describes what the server announces and answers.
type Config struct {
	// Version is announced in the handshake, e.g. "8.4.0" or
	// "10.11.19-MariaDB-0+deb12u1-log".
	Version string
	// User and Password are the one account that may log in.
	User, Password string
	// Script answers statements by their text.
	Script map[string]Result
	// Answer, when set, answers statements the script does not hold;
	// ok=false means the server does not know the statement (1064). It is
	// called from the connections' goroutines, possibly at once.
	Answer func(stmt string) (r Result, ok bool)
}

// FromFixture returns the configuration of a server that answers as the
// recorded one: its version in the handshake and its Script.
func FromFixture(fx fixture.Fixture, user, password string) Config {
	return Config{Version: fx.Version, User: user, Password: password, Script: fx.Script()}
}

// Server is a running fake server.
type Server struct {
	cfg    Config
	ln     net.Listener
	script map[string]Result

	mu      sync.Mutex
	queries []string
	conns   map[net.Conn]bool
	open    int
	peak    int
	logins  int

	nextID atomic.Uint32
	wg     sync.WaitGroup
	closed atomic.Bool
}

// Start listens on a free port of 127.0.0.1 and serves until Close.
func Start(cfg Config) (*Server, error) {
	if cfg.Version == "" {
		return nil, errors.New("fakeserver: no version to announce")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fakeserver: %w", err)
	}
	s := &Server{cfg: cfg, ln: ln, script: map[string]Result{}, conns: map[net.Conn]bool{}}
	for k, v := range cfg.Script {
		s.script[strings.TrimSpace(k)] = v
	}
	s.nextID.Store(100)
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// StartT starts a server for a test and closes it when the test ends.
func StartT(t testing.TB, cfg Config) *Server {
	t.Helper()
	s, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Addr returns "127.0.0.1:PORT".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Port returns the TCP port.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Queries returns the statements received so far, trimmed, in order.
func (s *Server) Queries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}

// Open returns the number of client connections open now.
func (s *Server) Open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open
}

// Peak returns the highest number of connections open at once.
func (s *Server) Peak() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// Logins returns the number of successful logins.
func (s *Server) Logins() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logins
}

// Close stops listening, drops every connection and waits for them.
func (s *Server) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	err := s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed.Load() {
			s.mu.Unlock()
			nc.Close()
			return
		}
		s.conns[nc] = true
		s.open++
		s.peak = max(s.peak, s.open)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				nc.Close()
				s.mu.Lock()
				delete(s.conns, nc)
				s.open--
				s.mu.Unlock()
			}()
			_ = s.serve(newWire(nc))
		}()
	}
}

// serve runs one connection: handshake, login, then commands until quit.
func (s *Server) serve(c *wire) error {
	salt := newSalt()
	if err := c.writePacket(handshake(s.cfg.Version, s.nextID.Add(1), salt)); err != nil {
		return err
	}
	if err := c.flush(); err != nil {
		return err
	}
	p, err := c.readPacket()
	if err != nil {
		return err
	}
	l, err := parseLogin(p)
	if err != nil {
		_ = c.writeError(1043, "08S01", "Bad handshake")
		return errors.Join(err, c.flush())
	}
	if l.plugin != "" && l.plugin != nativePassword {
		// Ask the client to switch to mysql_native_password.
		sw := append([]byte{0xfe}, nativePassword...)
		sw = append(sw, 0)
		sw = append(append(sw, salt...), 0)
		if err := c.writePacket(sw); err != nil {
			return err
		}
		if err := c.flush(); err != nil {
			return err
		}
		if l.auth, err = c.readPacket(); err != nil {
			return err
		}
	}
	if l.user != s.cfg.User || !checkNative(l.auth, salt, s.cfg.Password) {
		host, _, _ := net.SplitHostPort(c.nc.RemoteAddr().String())
		using := "NO"
		if len(l.auth) > 0 {
			using = "YES"
		}
		_ = c.writeError(1045, "28000", fmt.Sprintf("Access denied for user '%s'@'%s' (using password: %s)", l.user, host, using))
		return c.flush()
	}
	s.mu.Lock()
	s.logins++
	s.mu.Unlock()
	if err := c.writeOK(); err != nil {
		return err
	}
	if err := c.flush(); err != nil {
		return err
	}
	for {
		c.seq = 0
		p, err := c.readPacket()
		if err != nil {
			return err
		}
		if len(p) == 0 {
			return errMalformed
		}
		switch p[0] {
		case comQuit:
			return nil
		case comPing, comInitDB, comResetConn:
			err = c.writeOK()
		case comQuery:
			err = s.query(c, string(p[1:]))
		default:
			err = c.writeError(1047, "08S01", "Unknown command")
		}
		if err == nil {
			err = c.flush()
		}
		if err != nil {
			return err
		}
	}
}

// query answers one COM_QUERY.
func (s *Server) query(c *wire, text string) error {
	r := s.answer(text)
	if r.Err != nil {
		var me *mysql.MySQLError
		if errors.As(r.Err, &me) {
			return c.writeError(me.Number, string(me.SQLState[:]), me.Message)
		}
		return c.writeError(1105, "HY000", r.Err.Error())
	}
	for i, row := range r.Rows {
		if len(row) != len(r.Columns) {
			return c.writeError(1105, "HY000", "fakeserver: row "+strconv.Itoa(i+1)+" does not match the columns")
		}
	}
	if len(r.Columns) == 0 {
		return c.writeOK()
	}
	return c.writeResult(r.Columns, r.Rows)
}

// answer records stmt and looks it up.
func (s *Server) answer(text string) Result {
	q := strings.TrimSpace(text)
	s.mu.Lock()
	s.queries = append(s.queries, q)
	s.mu.Unlock()
	if r, ok := s.script[q]; ok {
		return r
	}
	if s.cfg.Answer != nil {
		if r, ok := s.cfg.Answer(q); ok {
			return r
		}
	}
	return Result{Err: fakedb.SyntaxError(q)}
}

// newSalt returns 20 random printable bytes (never NUL).
func newSalt() []byte {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = 33 + b[i]%94
	}
	return b
}

// checkNative verifies a mysql_native_password response:
// SHA1(password) XOR SHA1(salt + SHA1(SHA1(password))).
func checkNative(resp, salt []byte, password string) bool {
	if password == "" {
		return len(resp) == 0
	}
	if len(resp) != sha1.Size {
		return false
	}
	stage1 := sha1.Sum([]byte(password))
	stage2 := sha1.Sum(stage1[:])
	h := sha1.New()
	h.Write(salt)
	h.Write(stage2[:])
	want := h.Sum(nil)
	for i := range want {
		want[i] ^= stage1[i]
	}
	return bytes.Equal(want, resp)
}
