package plan

import "testing"

func TestQuoting(t *testing.T) {
	if got := QuoteTable(TableName{"app", "we`ird"}); got != "`app`.`we``ird`" {
		t.Errorf("QuoteTable = %s", got)
	}
	if got := QuoteString("it's a \\ \"x\"\n\x00\r\x1a"); got != `'it\'s a \\ \"x\"\n\0\r\Z'` {
		t.Errorf("QuoteString = %s", got)
	}
}

func TestLiteral(t *testing.T) {
	tests := []struct{ typ, v, want string }{
		{"int", "42", "42"},
		{"bigint", "-9223372036854775808", "-9223372036854775808"},
		{"decimal", "12.50", "12.50"},
		{"double", "1.5e-7", "1.5e-7"},
		{"INT", "42", "42"},
		{"int", "42; DROP TABLE x", "'42; DROP TABLE x'"},
		{"varchar", "O'Brien", `'O\'Brien'`},
		{"datetime", "2024-01-02 03:04:05", "'2024-01-02 03:04:05'"},
		{"varbinary", "\x00\xff", "X'00ff'"},
		{"char", "", "''"},
		{"int", "", "''"},
		{"int", "1-2", "'1-2'"},
		{"int", "1.2.3", "'1.2.3'"},
		{"double", "e5", "'e5'"},
	}
	for _, tt := range tests {
		if got := Literal(tt.typ, tt.v); got != tt.want {
			t.Errorf("Literal(%s, %q) = %s, want %s", tt.typ, tt.v, got, tt.want)
		}
	}
}
