package cli

import "github.com/advologix/advologix-connect/internal/connection"

// markSignInAgain marks a profile whose saved browser sign-in Salesforce
// refused: not complete, with the refusal's code and how to sign in again;
// the whole status fails with it when nothing else did.
func markSignInAgain(out *statusJSON, pj *profileStatusJSON, t connection.ProfileState) {
	if !t.SignInAgain() {
		return
	}
	pj.SignInAgain, pj.Complete = true, false
	pj.Code, pj.Hint = string(t.Result.Code), connection.SignInAgainHint(t.Profile)
	if out.Code == "" {
		out.OK = false
		out.Code, out.Message, out.Hint = pj.Code, "Profile "+pj.Name+": "+t.Result.Headline, pj.Hint
	}
}
