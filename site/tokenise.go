package site

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// A ruleLexer tokenises text as chroma's RegexLexer does, with the same
// compiled rules, mutators and emitters, but tries at each position only
// the rules whose pattern can start with the character there. chroma
// tries a state's rules in order and runs each one's regular expression,
// anchored at the position, until one matches: on a PowerShell line most
// of the thirty rules of the root state fail, and each failure costs a
// full call into the regexp2 engine. The first characters of a pattern
// are regexp2's own analysis (the set it scans for when a pattern is not
// anchored), so a skipped rule is one that could not have matched.
//
// Nested lexing (chroma's Using and UsingSelf emitters) runs through
// chroma's own tokeniser. A ruleLexer is safe for concurrent use.
type ruleLexer struct {
	lexer  *chroma.RegexLexer    // a copy of the registered lexer, owner of rules
	reg    *chroma.LexerRegistry // where embedded lexers are looked up
	rules  chroma.CompiledRules  // rules as chroma compiled and mutated them
	states map[string][]ruleTest // per state, one test per rule
}

// A ruleTest is a compiled rule with the characters that can start a
// match of it; first is nil when any character can, or the pattern can
// match the empty string. A rule that emits one token type and has no
// mutator, and whose pattern reNodes can match, has native: only the
// whole match is needed of it.
type ruleTest struct {
	rule   *chroma.CompiledRule
	first  *syntax.CharSet
	native *reNode
}

// maxStuckSteps bounds the steps a tokenising may take in a row without
// moving on in the text. A rule that matches the empty string and leaves
// the state as it was makes chroma's tokeniser loop for ever: JSONata's
// last rule does, on a lone quote. A ruleLexer gives up instead, and the
// block is left plain.
const maxStuckSteps = 10000

// errStuck is a tokenising that went past maxStuckSteps.
var errStuck = errors.New("lexer makes no progress")

// captureState is the name of the state that a ruleLexer adds to its
// copy of a lexer to read the compiled rules; chroma names no state so.
const captureState = "charter: compiled rules"

// newRuleLexer makes a ruleLexer with the rules of a registered lexer,
// which looks lexers it embeds up in reg. The rules are compiled again,
// by chroma, for a copy of the lexer: that is how they are reached, as
// chroma keeps a lexer's compiled rules to itself but hands them to every
// mutator.
func newRuleLexer(base *chroma.RegexLexer, reg *chroma.LexerRegistry) (*ruleLexer, error) {
	raw, err := base.Rules()
	if err != nil {
		return nil, err
	}
	var compiled chroma.CompiledRules
	capture := chroma.MutatorFunc(func(s *chroma.LexerState) error {
		compiled = s.Rules
		s.Stack = s.Stack[:0]
		return nil
	})
	withCapture := raw.Clone()
	withCapture[captureState] = []chroma.Rule{{Pattern: "", Mutator: capture}}
	lexer, err := chroma.NewLexer(base.Config(), func() chroma.Rules { return withCapture })
	if err != nil {
		return nil, err
	}
	lexer.SetRegistry(reg)
	it, err := lexer.Tokenise(&chroma.TokeniseOptions{State: captureState}, "x")
	if err != nil {
		return nil, err
	}
	for t := it(); t != chroma.EOF; t = it() {
	}
	if compiled == nil {
		return nil, errors.New("chroma did not hand over the compiled rules")
	}
	l := &ruleLexer{lexer: lexer, reg: reg, rules: compiled, states: map[string][]ruleTest{}}
	for state, rules := range compiled {
		tests := make([]ruleTest, len(rules))
		for i, r := range rules {
			tests[i] = ruleTest{rule: r, first: firstChars(r)}
			if wholeMatchOnly(r) && r.Regexp != nil {
				tests[i].native = compileNative(r.Regexp.String())
			}
		}
		l.states[state] = tests
	}
	return l, nil
}

// firstChars is the set of characters that can start a match of a
// compiled rule, or nil when it cannot be told or the rule can match
// the empty string. chroma compiles patterns with no regexp2 options, so
// parsing the pattern again gives the same tree.
func firstChars(r *chroma.CompiledRule) *syntax.CharSet {
	if r.Regexp == nil || r.Regexp.RightToLeft() {
		return nil
	}
	tree, err := syntax.Parse(r.Regexp.String(), syntax.ParseOptions{})
	if err != nil {
		return nil
	}
	code, err := syntax.Write(tree)
	if err != nil || code.FcPrefix == nil {
		return nil
	}
	code.PrepareCharSetASCIIBitmaps()
	return &code.FcPrefix.PrefixSet
}

// defaultTokenise are chroma's default options: root state, line
// endings made LF.
var defaultTokenise = chroma.TokeniseOptions{State: "root", EnsureLF: true}

// tokens tokenises text as chroma's Tokenise does with its default
// options and calls emit with each token, empty ones included, as
// chroma's iterator returns them.
func (l *ruleLexer) tokens(text string, emit func(chroma.Token)) error {
	return l.tokenise(&defaultTokenise, text, emit)
}

// tokenise is tokens with chroma's options (nil for the default), as
// chroma's Using emitters tokenise embedded code.
func (l *ruleLexer) tokenise(opts *chroma.TokeniseOptions, text string, emit func(chroma.Token)) error {
	if opts == nil {
		opts = &defaultTokenise
	}
	if opts.EnsureLF {
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	}
	end := utf8.RuneCountInString(text)
	if !opts.Nested && l.lexer.Config().EnsureNL && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	r := ruleRun{lexer: l, end: end, start: opts.State, state: chroma.LexerState{
		Lexer: l.lexer, Registry: l.reg, Text: []rune(text),
		Stack: []string{opts.State}, Rules: l.rules, MutatorContext: map[any]any{},
	}}
	return r.run(emit)
}

// A ruleRun is one tokenising of a text: chroma's LexerState and the
// iterators of emitted tokens not yet drained.
type ruleRun struct {
	lexer   *ruleLexer
	state   chroma.LexerState
	end     int    // runes to tokenise: the text without a newline added
	start   string // the state tokenising starts in
	pending []chroma.Iterator
}

// run follows chroma's (*LexerState).Iterator step for step.
func (r *ruleRun) run(emit func(chroma.Token)) error {
	s := &r.state
	last, stuck := -1, 0
	for s.Pos < r.end && len(s.Stack) > 0 {
		r.drain(emit)
		if s.Pos != last {
			last, stuck = s.Pos, 0
		} else if stuck++; stuck > maxStuckSteps {
			return errStuck
		}
		s.State = s.Stack[len(s.Stack)-1]
		tests, ok := r.lexer.states[s.State]
		if !ok {
			return fmt.Errorf("unknown state %q", s.State)
		}
		i, end, m := match(s.Text, s.Pos, tests)
		if end < 0 {
			// chroma, after Pygments: an unmatched newline empties the
			// stack; any other character is an error token.
			if s.Text[s.Pos] == '\n' && s.State != r.start {
				s.Stack = []string{r.start}
				continue
			}
			s.Pos++
			emit(chroma.Token{Type: chroma.Error, Value: string(s.Text[s.Pos-1 : s.Pos])})
			continue
		}
		if err := r.apply(tests[i].rule, i, end, m, emit); err != nil {
			return err
		}
	}
	r.drain(emit)
	if s.Pos != len(s.Text) && len(s.Stack) == 0 {
		emit(chroma.Token{Type: chroma.Error, Value: string(s.Text[s.Pos:])})
	}
	return nil
}

// drain emits the tokens of the pending iterators, last pushed first,
// leaving out chroma's Ignore tokens.
func (r *ruleRun) drain(emit func(chroma.Token)) {
	for len(r.pending) > 0 {
		n := len(r.pending) - 1
		t := r.pending[n]()
		switch {
		case t == chroma.EOF:
			r.pending = r.pending[:n]
		case t.Type != chroma.Ignore:
			emit(t)
		}
	}
}

// apply moves on past a rule's match m, runs its mutator and emits its
// tokens, as chroma does. A rule that emits one token type and has no
// mutator, as most have, needs neither the match's groups nor its named
// groups (chroma's TokenType emitter reads the whole match only), so
// they are not made: the state keeps none for it.
func (r *ruleRun) apply(rule *chroma.CompiledRule, i, end int, m *regexp2.Match, emit func(chroma.Token)) error {
	s := &r.state
	s.Rule = i
	start := s.Pos
	s.Pos = end
	if wholeMatchOnly(rule) {
		s.Groups, s.NamedGroups = nil, nil
		if rule.Mutator != nil {
			if err := rule.Mutator.Mutate(s); err != nil {
				return err
			}
		}
		tt := rule.Type.(chroma.TokenType)
		if t := (chroma.Token{Type: tt, Value: string(s.Text[start:end])}); t != chroma.EOF && tt != chroma.Ignore {
			emit(t)
		}
		return nil
	}
	gs := m.Groups()
	s.Groups = make([]string, len(gs))
	s.NamedGroups = make(map[string]string, len(gs))
	for j, g := range gs {
		s.NamedGroups[g.Name] = g.String()
		s.Groups[j] = g.String()
	}
	if rule.Mutator != nil {
		if err := rule.Mutator.Mutate(s); err != nil {
			return err
		}
	}
	if rule.Type != nil {
		r.pending = append(r.pending, rule.Type.Emit(s.Groups, s))
	}
	return nil
}

// wholeMatchOnly tells whether a rule needs of its match only the whole
// of it: it emits one token type (chroma's TokenType emitter reads the
// whole match only) and its mutator, if any, only pushes and pops
// states.
func wholeMatchOnly(rule *chroma.CompiledRule) bool {
	_, ok := rule.Type.(chroma.TokenType)
	return ok && stackOnly(rule.Mutator)
}

// stackOnly tells whether a mutator is none, or chroma's Push, Pop, or
// Mutators of those, which read and change only the state stack.
func stackOnly(m chroma.Mutator) bool {
	if m == nil {
		return true
	}
	switch t := reflect.TypeOf(m); t {
	case reflect.TypeOf(chroma.Push()), reflect.TypeOf(chroma.Pop(1)):
		return true
	case reflect.TypeOf(chroma.Mutators()):
		all := reflect.ValueOf(m).Elem().FieldByName("Mutators")
		for i := range all.Len() {
			if sub, ok := all.Index(i).Interface().(chroma.Mutator); !ok || !stackOnly(sub) {
				return false
			}
		}
		return true
	}
	return false
}

// match is chroma's matchRules, less the rules that cannot start with
// the character at pos: the index of the first rule that matches at pos,
// where its match ends, and regexp2's match unless reNodes found it; end
// is -1 when no rule matches. A rule whose match fails with an error (a
// timeout) counts as no match, as in chroma.
func match(text []rune, pos int, tests []ruleTest) (i, end int, m *regexp2.Match) {
	c := text[pos]
	for i, t := range tests {
		if t.first != nil && !t.first.Contains(c) {
			continue
		}
		if t.native != nil {
			end, ok := matchNative(t.native, text, pos, maxNativeSteps)
			if ok && end >= 0 {
				return i, end, nil
			}
			if ok {
				continue
			} // else too long: regexp2 decides, within chroma's timeout
		}
		m, err := t.rule.Regexp.FindRunesMatchStartingAt(text, pos)
		if m != nil && err == nil && m.RuneIndex == pos {
			return i, pos + m.RuneLength, m
		}
	}
	return 0, -1, nil
}
