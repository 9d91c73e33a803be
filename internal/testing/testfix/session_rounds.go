package testfix

// SessionRound is one scenario of issue 19's proof that a refresh token
// is spent once per expiry: Programs callers of `session` at once, Rounds
// times, each round after the last session expired.
type SessionRound struct {
	Name             string
	Programs, Rounds int
}

// SessionRounds are the scenarios every platform's proof runs: 6 at once
// (the report: 4–5 of 6 failed), and 20 × 3 expiries (56 of 60 failed).
var SessionRounds = []SessionRound{
	{"6 programs", 6, 1},
	{"20 programs, 3 expiries", 20, 3},
}
