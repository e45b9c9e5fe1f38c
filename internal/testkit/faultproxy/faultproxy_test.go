package faultproxy

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// echo starts a line echo server and returns its address.
func echo(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

// roundTrip sends line and reads it back, bounded by limit.
func roundTrip(c net.Conn, r *bufio.Reader, line string, limit time.Duration) (string, error) {
	_ = c.SetDeadline(time.Now().Add(limit))
	if _, err := io.WriteString(c, line+"\n"); err != nil {
		return "", err
	}
	s, err := r.ReadString('\n')
	return strings.TrimSuffix(s, "\n"), err
}

func dial(t *testing.T, p *Proxy) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, bufio.NewReader(c)
}

func TestForwardAndDelay(t *testing.T) {
	p := NewT(t, echo(t))
	c, r := dial(t, p)
	if got, err := roundTrip(c, r, "hello", time.Second); err != nil || got != "hello" {
		t.Fatalf("got %q, %v", got, err)
	}
	p.SetDelay(150 * time.Millisecond)
	start := time.Now()
	if got, err := roundTrip(c, r, "slow", 2*time.Second); err != nil || got != "slow" {
		t.Fatalf("got %q, %v", got, err)
	}
	// once up, once down
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Errorf("round trip took %v with 150ms each way", el)
	}
	p.SetDelay(0)
	if p.Accepted() != 1 || p.Open() != 1 || p.Peak() != 1 {
		t.Errorf("accepted %d, open %d, peak %d; want 1 each", p.Accepted(), p.Open(), p.Peak())
	}
}

func TestCutOnPattern(t *testing.T) {
	p := NewT(t, echo(t))
	p.CutOn("SHOW SLAVE")
	c, r := dial(t, p)
	if got, err := roundTrip(c, r, "SELECT 1", time.Second); err != nil || got != "SELECT 1" {
		t.Fatalf("got %q, %v", got, err)
	}
	_, err := roundTrip(c, r, "SHOW SLAVE STATUS", time.Second)
	if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("after the pattern: %v, want the connection reset", err)
	}
	if p.Cuts() != 1 {
		t.Errorf("%d cuts, want 1", p.Cuts())
	}
	waitOpen(t, p, 0)
}

func TestCutAllAndRefuse(t *testing.T) {
	p := NewT(t, echo(t))
	c1, r1 := dial(t, p)
	c2, r2 := dial(t, p)
	for _, cr := range []struct {
		c net.Conn
		r *bufio.Reader
	}{{c1, r1}, {c2, r2}} {
		if _, err := roundTrip(cr.c, cr.r, "x", time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if p.Peak() != 2 {
		t.Errorf("peak %d, want 2", p.Peak())
	}
	p.CutAll()
	if _, err := roundTrip(c1, r1, "y", time.Second); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("after CutAll: %v, want the connection reset", err)
	}
	waitOpen(t, p, 0)
	p.Refuse(true)
	// The reset may come as soon as the dial or at the first read.
	if c3, err := net.Dial("tcp", p.Addr()); err == nil {
		defer c3.Close()
		if _, err := roundTrip(c3, bufio.NewReader(c3), "z", time.Second); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("refused connection: %v, want it reset", err)
		}
	}
	p.Refuse(false)
	c4, r4 := dial(t, p)
	if got, err := roundTrip(c4, r4, "ok", time.Second); err != nil || got != "ok" {
		t.Errorf("after Refuse(false): %q, %v", got, err)
	}
}

func TestStall(t *testing.T) {
	p := NewT(t, echo(t))
	c, r := dial(t, p)
	p.Stall()
	if _, err := roundTrip(c, r, "held", 300*time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("stalled link: %v, want a client timeout", err)
	}
	p.Unstall()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if s, err := r.ReadString('\n'); err != nil || s != "held\n" {
		t.Errorf("after Unstall: %q, %v", s, err)
	}
}

func TestCloseEndsEverything(t *testing.T) {
	p, err := New(echo(t))
	if err != nil {
		t.Fatal(err)
	}
	c, r := dial(t, p)
	p.Stall()
	done := make(chan struct{})
	go func() { p.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not return while a link was stalled")
	}
	if _, err := roundTrip(c, r, "x", time.Second); err == nil {
		t.Error("connection still works after Close")
	}
	if _, err := net.DialTimeout("tcp", p.Addr(), time.Second); err == nil {
		t.Error("proxy still accepts after Close")
	}
}

func waitOpen(t *testing.T, p *Proxy, want int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for p.Open() != want && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if p.Open() != want {
		t.Errorf("%d connections open, want %d", p.Open(), want)
	}
}

func TestBefore(t *testing.T) {
	p := NewT(t, echo(t))
	var order []string
	p.Before("SHOW", func() { order = append(order, "hook") })
	c, r := dial(t, p)
	for _, line := range []string{"SELECT 1", "SHOW A", "SHOW B"} {
		got, err := roundTrip(c, r, line, time.Second)
		if err != nil || got != line {
			t.Fatalf("%s: %q, %v", line, got, err)
		}
		order = append(order, got)
	}
	if want := "SELECT 1,hook,SHOW A,SHOW B"; strings.Join(order, ",") != want {
		t.Errorf("order %v, want %s (the hook once, before its chunk)", order, want)
	}
}
