package judge

import (
	"github.com/replmon/replmon/internal/configcheck/judge/binlog"
	"github.com/replmon/replmon/internal/configcheck/judge/verdict"
)

// The vocabulary of the judgement lives in package verdict, shared with
// the binary log and GTID rules of package binlog; judge's callers keep
// using these names.
type (
	Level       = verdict.Level
	Fix         = verdict.Fix
	Finding     = verdict.Finding
	Headroom    = verdict.Headroom
	Options     = verdict.Options
	Expectation = verdict.Expectation
	audit       = verdict.Audit
)

// The levels.
const (
	Pass     = verdict.Pass
	Info     = verdict.Info
	Unknown  = verdict.Unknown
	Warning  = verdict.Warning
	Critical = verdict.Critical
)

// Functions of the vocabulary.
var (
	LevelOf          = verdict.LevelOf
	ParseExpectation = verdict.ParseExpectation
	GrantAdvice      = verdict.GrantAdvice
	DurationText     = binlog.DurationText
)

// The rule ids (package verdict documents them).
const (
	RuleReachable            = verdict.RuleReachable
	RuleVariables            = verdict.RuleVariables
	RuleServerID             = verdict.RuleServerID
	RuleLogBin               = verdict.RuleLogBin
	RuleLogSlaveUpdates      = verdict.RuleLogSlaveUpdates
	RuleAutoIncrement        = verdict.RuleAutoIncrement
	RuleReadOnly             = verdict.RuleReadOnly
	RuleSuperReadOnly        = verdict.RuleSuperReadOnly
	RuleRelayLogRecovery     = verdict.RuleRelayLogRecovery
	RuleRelayLogInfoRepo     = verdict.RuleRelayLogInfoRepo
	RuleSyncBinlog           = verdict.RuleSyncBinlog
	RuleFlushLogAtTrxCommit  = verdict.RuleFlushLogAtTrxCommit
	RuleSSL                  = verdict.RuleSSL
	RuleVersionOrder         = verdict.RuleVersionOrder
	RuleExpect               = verdict.RuleExpect
	RuleServerIDUnique       = verdict.RuleServerIDUnique
	RuleServerUUIDUnique     = verdict.RuleServerUUIDUnique
	RuleAutoIncrementOffsets = verdict.RuleAutoIncrementOffsets
	RuleSourceInSet          = verdict.RuleSourceInSet
	RuleDiscover             = verdict.RuleDiscover
	RuleDiscoverComplete     = verdict.RuleDiscoverComplete
	RuleErrant               = verdict.RuleErrant
	RuleGTIDDomain           = verdict.RuleGTIDDomain
	RuleRetention            = verdict.RuleRetention
	RuleExecMode             = verdict.RuleExecMode
	RuleSkipErrors           = verdict.RuleSkipErrors
	RuleSkipCounter          = verdict.RuleSkipCounter
	RuleBinlogFormat         = verdict.RuleBinlogFormat
	RuleFilters              = verdict.RuleFilters
	RuleGTIDMode             = verdict.RuleGTIDMode
)
