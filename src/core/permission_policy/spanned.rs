//! JSON values with the line and column they start at, so a policy file's problem is reported
//! where it is (`deploy.json:3:17`) instead of by quoting the file. Only for text serde_json has
//! already accepted: anything it cannot read yields `None`.

/// A position in the text, both 1-based; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A JSON value and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    pub at: Position,
    pub value: Node,
}

/// The shape of a value; numbers, booleans and null only need their kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Members in document order, each key with the position of the key.
    Object(Vec<(String, Position, Spanned)>),
    Array(Vec<Spanned>),
    String(String),
    Number,
    Bool,
    Null,
}

impl Node {
    /// The kind of value, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Object(_) => "an object",
            Node::Array(_) => "an array",
            Node::String(_) => "a string",
            Node::Number => "a number",
            Node::Bool => "a boolean",
            Node::Null => "null",
        }
    }
}

/// Parses `text` (already valid JSON) into positioned values.
pub fn parse(text: &str) -> Option<Spanned> {
    let mut p = Parser {
        chars: text.chars().collect(),
        i: 0,
        line: 1,
        column: 1,
    };
    let value = p.value()?;
    p.skip_ws();
    (p.i == p.chars.len()).then_some(value)
}

struct Parser {
    chars: Vec<char>,
    i: usize,
    line: usize,
    column: usize,
}

impl Parser {
    fn here(&self) -> Position {
        Position {
            line: self.line,
            column: self.column,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_whitespace()) {
            self.bump();
        }
    }

    fn eat(&mut self, want: char) -> Option<()> {
        self.skip_ws();
        (self.bump()? == want).then_some(())
    }

    fn value(&mut self) -> Option<Spanned> {
        self.skip_ws();
        let at = self.here();
        let value = match self.peek()? {
            '{' => self.object()?,
            '[' => self.array()?,
            '"' => Node::String(self.string()?),
            c => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_alphanumeric() || "+-.".contains(c))
                {
                    self.bump();
                }
                match c {
                    't' | 'f' => Node::Bool,
                    'n' => Node::Null,
                    _ => Node::Number,
                }
            }
        };
        Some(Spanned { at, value })
    }

    fn object(&mut self) -> Option<Node> {
        self.eat('{')?;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek()? == '}' {
            self.bump();
            return Some(Node::Object(members));
        }
        loop {
            self.skip_ws();
            let key_at = self.here();
            let key = self.string()?;
            self.eat(':')?;
            members.push((key, key_at, self.value()?));
            self.skip_ws();
            match self.bump()? {
                ',' => continue,
                '}' => return Some(Node::Object(members)),
                _ => return None,
            }
        }
    }

    fn array(&mut self) -> Option<Node> {
        self.eat('[')?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek()? == ']' {
            self.bump();
            return Some(Node::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_ws();
            match self.bump()? {
                ',' => continue,
                ']' => return Some(Node::Array(items)),
                _ => return None,
            }
        }
    }

    /// A string literal; escapes are decoded by serde_json, which knows them all.
    fn string(&mut self) -> Option<String> {
        let start = self.i;
        if self.bump()? != '"' {
            return None;
        }
        loop {
            match self.bump()? {
                '\\' => {
                    self.bump()?;
                }
                '"' => break,
                _ => {}
            }
        }
        let literal: String = self.chars[start..self.i].iter().collect();
        serde_json::from_str(&literal).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_lines_and_columns() {
        let text = "{\n  \"a\": [1, \"x\\\"y\"],\n  \"b\": {\"c\": true}\n}";
        let root = parse(text).unwrap();
        assert_eq!(root.at, Position { line: 1, column: 1 });
        let Node::Object(members) = root.value else {
            panic!("an object")
        };
        assert_eq!(members[0].0, "a");
        assert_eq!(members[0].1, Position { line: 2, column: 3 });
        let Node::Array(items) = &members[0].2.value else {
            panic!("an array")
        };
        assert_eq!(items[1].value, Node::String("x\"y".into()));
        assert_eq!(
            items[1].at,
            Position {
                line: 2,
                column: 12
            }
        );
        assert_eq!(members[1].2.at, Position { line: 3, column: 8 });
        assert!(parse("{} x").is_none());
    }
}
