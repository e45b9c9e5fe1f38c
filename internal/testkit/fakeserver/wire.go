package fakeserver

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
)

// Protocol constants of the MySQL client/server protocol used here.
const (
	maxPayload = 1<<24 - 1

	capLongPassword    = 0x00000001
	capLongFlag        = 0x00000004
	capConnectWithDB   = 0x00000008
	capProtocol41      = 0x00000200
	capTransactions    = 0x00002000
	capSecureConn      = 0x00008000
	capMultiResults    = 0x00020000
	capPluginAuth      = 0x00080000
	capPluginAuthLenec = 0x00200000

	serverCaps = capLongPassword | capLongFlag | capConnectWithDB | capProtocol41 |
		capTransactions | capSecureConn | capMultiResults | capPluginAuth | capPluginAuthLenec

	statusAutocommit = 0x0002

	comQuit        = 0x01
	comInitDB      = 0x02
	comQuery       = 0x03
	comPing        = 0x0e
	comResetConn   = 0x1f
	collationUTF8  = 45 // utf8mb4_general_ci
	typeVarString  = 0xfd
	nativePassword = "mysql_native_password"
)

// wire reads and writes the packets of one connection.
type wire struct {
	nc  net.Conn
	r   *bufio.Reader
	w   *bufio.Writer
	seq byte
}

func newWire(nc net.Conn) *wire {
	return &wire{nc: nc, r: bufio.NewReader(nc), w: bufio.NewWriter(nc)}
}

// readPacket returns the next payload, joining the parts of one that is
// 16 MiB or longer.
func (c *wire) readPacket() ([]byte, error) {
	var out []byte
	for {
		var h [4]byte
		if _, err := io.ReadFull(c.r, h[:]); err != nil {
			return nil, err
		}
		n := int(h[0]) | int(h[1])<<8 | int(h[2])<<16
		if h[3] != c.seq {
			return nil, fmt.Errorf("packet sequence %d, want %d", h[3], c.seq)
		}
		c.seq++
		part := make([]byte, n)
		if _, err := io.ReadFull(c.r, part); err != nil {
			return nil, err
		}
		out = append(out, part...)
		if n < maxPayload {
			return out, nil
		}
	}
}

// writePacket queues one payload, split as the protocol requires.
func (c *wire) writePacket(p []byte) error {
	for {
		n := min(len(p), maxPayload)
		h := [4]byte{byte(n), byte(n >> 8), byte(n >> 16), c.seq}
		c.seq++
		if _, err := c.w.Write(h[:]); err != nil {
			return err
		}
		if _, err := c.w.Write(p[:n]); err != nil {
			return err
		}
		p = p[n:]
		if n < maxPayload {
			return nil
		}
	}
}

func (c *wire) flush() error { return c.w.Flush() }

func (c *wire) writeOK() error {
	return c.writePacket([]byte{0x00, 0x00, 0x00, statusAutocommit, 0x00, 0x00, 0x00})
}

func (c *wire) writeEOF() error {
	return c.writePacket([]byte{0xfe, 0x00, 0x00, statusAutocommit, 0x00})
}

// writeError sends an ERR packet.
func (c *wire) writeError(number uint16, state, msg string) error {
	if len(state) != 5 {
		state = "HY000"
	}
	p := []byte{0xff, byte(number), byte(number >> 8), '#'}
	p = append(p, state...)
	p = append(p, msg...)
	return c.writePacket(p)
}

// writeResult sends a text result set: columns, rows (nil is NULL), EOFs.
func (c *wire) writeResult(columns []string, rows [][]*string) error {
	if err := c.writePacket(appendLenInt(nil, uint64(len(columns)))); err != nil {
		return err
	}
	for _, name := range columns {
		p := appendLenStr(nil, "def")
		p = appendLenStr(p, "")   // schema
		p = appendLenStr(p, "")   // table
		p = appendLenStr(p, "")   // original table
		p = appendLenStr(p, name) // name
		p = appendLenStr(p, name) // original name
		p = append(p, 0x0c)
		p = binary.LittleEndian.AppendUint16(p, collationUTF8)
		p = binary.LittleEndian.AppendUint32(p, 1024)
		p = append(p, typeVarString, 0x00, 0x00, 0x00, 0x00, 0x00)
		if err := c.writePacket(p); err != nil {
			return err
		}
	}
	if err := c.writeEOF(); err != nil {
		return err
	}
	for _, row := range rows {
		var p []byte
		for _, v := range row {
			if v == nil {
				p = append(p, 0xfb)
			} else {
				p = appendLenStr(p, *v)
			}
		}
		if err := c.writePacket(p); err != nil {
			return err
		}
	}
	return c.writeEOF()
}

// handshake is the server's greeting (Protocol::HandshakeV10).
func handshake(version string, connID uint32, salt []byte) []byte {
	p := []byte{10}
	p = append(p, version...)
	p = append(p, 0)
	p = binary.LittleEndian.AppendUint32(p, connID)
	p = append(p, salt[:8]...)
	p = append(p, 0)
	p = binary.LittleEndian.AppendUint16(p, uint16(serverCaps&0xffff))
	p = append(p, collationUTF8)
	p = binary.LittleEndian.AppendUint16(p, statusAutocommit)
	p = binary.LittleEndian.AppendUint16(p, uint16(serverCaps>>16))
	p = append(p, byte(len(salt)+1))
	p = append(p, make([]byte, 10)...)
	p = append(p, salt[8:]...)
	p = append(p, 0)
	p = append(p, nativePassword...)
	return append(p, 0)
}

// login is what the client's handshake response says.
type login struct {
	user, plugin string
	auth         []byte
}

var errMalformed = errors.New("malformed handshake response")

// parseLogin reads Protocol::HandshakeResponse41.
func parseLogin(p []byte) (login, error) {
	if len(p) < 32 {
		return login{}, errMalformed
	}
	caps := binary.LittleEndian.Uint32(p)
	if caps&capProtocol41 == 0 {
		return login{}, errors.New("client does not speak protocol 4.1")
	}
	rest := p[32:]
	var l login
	var ok bool
	if l.user, rest, ok = cutNul(rest); !ok {
		return login{}, errMalformed
	}
	switch {
	case caps&capPluginAuthLenec != 0:
		n, size, ok := readLenInt(rest)
		if !ok || uint64(len(rest)-size) < n {
			return login{}, errMalformed
		}
		l.auth, rest = rest[size:size+int(n)], rest[size+int(n):]
	case caps&capSecureConn != 0:
		if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
			return login{}, errMalformed
		}
		l.auth, rest = rest[1:1+int(rest[0])], rest[1+int(rest[0]):]
	default:
		var s string
		if s, rest, ok = cutNul(rest); !ok {
			return login{}, errMalformed
		}
		l.auth = []byte(s)
	}
	if caps&capConnectWithDB != 0 {
		if _, rest, ok = cutNul(rest); !ok {
			return login{}, errMalformed
		}
	}
	if caps&capPluginAuth != 0 {
		l.plugin, _, _ = cutNul(rest)
	}
	return l, nil
}

func cutNul(b []byte) (string, []byte, bool) {
	for i, c := range b {
		if c == 0 {
			return string(b[:i]), b[i+1:], true
		}
	}
	return "", nil, false
}

func appendLenInt(b []byte, n uint64) []byte {
	switch {
	case n < 251:
		return append(b, byte(n))
	case n < 1<<16:
		return append(b, 0xfc, byte(n), byte(n>>8))
	case n < 1<<24:
		return append(b, 0xfd, byte(n), byte(n>>8), byte(n>>16))
	default:
		b = append(b, 0xfe)
		return binary.LittleEndian.AppendUint64(b, n)
	}
}

func appendLenStr(b []byte, s string) []byte {
	return append(appendLenInt(b, uint64(len(s))), s...)
}

// readLenInt decodes a length-encoded integer and its size in bytes.
func readLenInt(b []byte) (uint64, int, bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	switch b[0] {
	case 0xfc:
		if len(b) < 3 {
			return 0, 0, false
		}
		return uint64(b[1]) | uint64(b[2])<<8, 3, true
	case 0xfd:
		if len(b) < 4 {
			return 0, 0, false
		}
		return uint64(b[1]) | uint64(b[2])<<8 | uint64(b[3])<<16, 4, true
	case 0xfe:
		if len(b) < 9 {
			return 0, 0, false
		}
		return binary.LittleEndian.Uint64(b[1:]), 9, true
	case 0xfb, 0xff:
		return 0, 0, false
	}
	return uint64(b[0]), 1, true
}
