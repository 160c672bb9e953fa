import SwiftParser
import SwiftSyntax

/// A block's code as swift-syntax reads it: its top-level statements and declarations, the names
/// its code refers to, and the names it changes. What a checkpoint needs to know of a block
/// (see `Checkpoints`). Lines count from 1 in the code given, columns in UTF-8 bytes from 1.
struct BlockSyntax {
    /// One name a top-level `let` or `var` declares.
    struct Binding {
        let name: String
        let isVariable: Bool
        let line: Int
        let column: Int
        /// The UTF-8 range of its initial value in the code, if it has one.
        let initializer: Range<Int>?
        /// Whether the initial value contains `try` / `await`.
        let tries: Bool
        let awaits: Bool
        /// Declared inside a tuple pattern (`let (a, b) = …`).
        let inTuple: Bool
        /// A computed variable (`var x: Int { … }`): no storage to keep.
        let computed: Bool
    }

    /// A top-level statement or declaration and the lines it spans.
    struct Item {
        /// A statement or expression (runs when the block runs); not a declaration.
        let isStatement: Bool
        let lines: ClosedRange<Int>
        let bindings: [Binding]
    }

    /// A name where it is written.
    struct Place {
        let name: String
        let line: Int
        let column: Int
    }

    let items: [Item]
    /// The UTF-8 range of the block's last statement when it is an expression whose value the
    /// block would otherwise drop (not an assignment, not `_ = …`, not ended by `;`): what a
    /// notebook shows.
    let lastValue: Range<Int>?
    /// Every reference to a name (not a member: `x` in `x.y`, not `y`), in order.
    let uses: [Place]
    /// The names the code changes: assigned (`x = `, `x += `, `x[i] = `, `x.y = `), passed
    /// `inout` (`&x`), or given a mutating collection method (`x.append(…)`).
    let changes: [Place]
    /// Names declared anywhere below the top level (parameters, locals), which may shadow
    /// top-level names of other blocks.
    let localNames: Set<String>

    /// The top-level `let` and `var` names, in order.
    var bindings: [Binding] { items.flatMap(\.bindings) }

    init(_ code: String) {
        let file = Parser.parse(source: code)
        let converter = SourceLocationConverter(fileName: "", tree: file)
        func place(_ position: AbsolutePosition) -> (line: Int, column: Int) {
            let location = converter.location(for: position)
            return (location.line, location.column)
        }
        var items: [Item] = []
        for item in file.statements {
            let first = place(item.positionAfterSkippingLeadingTrivia).line
            let last = place(item.endPositionBeforeTrailingTrivia).line
            var bindings: [Binding] = []
            var isStatement = true
            if case .decl(let declaration) = item.item {
                isStatement = false
                if let variable = declaration.as(VariableDeclSyntax.self) {
                    let isVariable = variable.bindingSpecifier.tokenKind == .keyword(.var)
                    for binding in variable.bindings {
                        let value = binding.initializer?.value
                        let range = value.map { $0.positionAfterSkippingLeadingTrivia.utf8Offset..<$0.endPositionBeforeTrailingTrivia.utf8Offset }
                        let tokens = value.map { Array($0.tokens(viewMode: .sourceAccurate)) } ?? []
                        let tries = tokens.contains { $0.tokenKind == .keyword(.try) }
                        let awaits = tokens.contains { $0.tokenKind == .keyword(.await) }
                        for identifier in BlockSyntax.identifiers(in: binding.pattern) {
                            let at = place(identifier.positionAfterSkippingLeadingTrivia)
                            bindings.append(Binding(name: identifier.text, isVariable: isVariable, line: at.line, column: at.column,
                                                    initializer: range, tries: tries, awaits: awaits,
                                                    inTuple: !binding.pattern.is(IdentifierPatternSyntax.self),
                                                    computed: binding.accessorBlock != nil))
                        }
                    }
                }
            }
            items.append(Item(isStatement: isStatement, lines: first...max(first, last), bindings: bindings))
        }
        self.items = items
        lastValue = file.statements.last.flatMap { item -> Range<Int>? in
            // A trailing `;` keeps the value to itself, as in IPython.
            guard case .expr(let expression) = item.item, item.semicolon == nil, !BlockSyntax.assigns(expression) else { return nil }
            // `print` returns nothing: left as written, so the tangled program reads as the block.
            if let call = expression.as(FunctionCallExprSyntax.self),
               call.calledExpression.as(DeclReferenceExprSyntax.self)?.baseName.text == "print" { return nil }
            return expression.positionAfterSkippingLeadingTrivia.utf8Offset..<expression.endPositionBeforeTrailingTrivia.utf8Offset
        }
        let walker = NameWalker(converter: converter)
        walker.walk(file)
        uses = walker.uses
        changes = walker.changes
        // Top-level names are the block's own, not locals.
        let topLevel = Set(items.flatMap(\.bindings).map(\.name))
        localNames = walker.declared.subtracting(topLevel).union(walker.declaredBelowTop)
    }

    /// Whether an expression statement is an assignment (`x = 1`, `x += 1`, `_ = f()`).
    static func assigns(_ expression: ExprSyntax) -> Bool {
        guard let sequence = expression.as(SequenceExprSyntax.self) else { return false }
        return sequence.elements.contains(where: isAssignment)
    }

    /// Whether an element of an unfolded sequence is `=` or a compound assignment (`+=`, …).
    static func isAssignment(_ element: ExprSyntax) -> Bool {
        if element.is(AssignmentExprSyntax.self) { return true }
        guard let binary = element.as(BinaryOperatorExprSyntax.self) else { return false }
        let text = binary.operator.text
        return text.hasSuffix("=") && !["==", "!=", "<=", ">=", "===", "!=="].contains(text)
    }

    /// The names a pattern binds (`a`, or `a` and `b` in `(a, (b, _))`).
    static func identifiers(in pattern: PatternSyntax) -> [TokenSyntax] {
        if let identifier = pattern.as(IdentifierPatternSyntax.self) { return [identifier.identifier] }
        if let tuple = pattern.as(TuplePatternSyntax.self) { return tuple.elements.flatMap { identifiers(in: $0.pattern) } }
        if let binding = pattern.as(ValueBindingPatternSyntax.self) { return identifiers(in: binding.pattern) }
        return []
    }

    /// The variable at the root of an expression that is changed: `x` in `x`, `x.y`, `x[i]`,
    /// `x!.y`, `x?.y`.
    static func root(of expression: ExprSyntax) -> DeclReferenceExprSyntax? {
        var current = expression
        while true {
            if let reference = current.as(DeclReferenceExprSyntax.self) { return reference }
            if let member = current.as(MemberAccessExprSyntax.self), let base = member.base { current = base }
            else if let subscriptCall = current.as(SubscriptCallExprSyntax.self) { current = subscriptCall.calledExpression }
            else if let unwrap = current.as(ForceUnwrapExprSyntax.self) { current = unwrap.expression }
            else if let chain = current.as(OptionalChainingExprSyntax.self) { current = chain.expression }
            else if let parenthesised = current.as(TupleExprSyntax.self), parenthesised.elements.count == 1 { current = parenthesised.elements.first!.expression }
            else { return nil }
        }
    }

    /// Methods of the standard collections that change the value they are called on.
    static let mutatingMethods: Set<String> = [
        "append", "insert", "remove", "removeAll", "removeFirst", "removeLast", "removeSubrange", "popLast", "popFirst",
        "sort", "shuffle", "reverse", "swapAt", "replaceSubrange", "merge", "updateValue", "removeValue", "formUnion",
        "formIntersection", "formSymmetricDifference", "subtract", "reserveCapacity", "toggle", "negate", "partition",
    ]

    private final class NameWalker: SyntaxVisitor {
        let converter: SourceLocationConverter
        var uses: [Place] = []
        var changes: [Place] = []
        var declared: Set<String> = []
        var declaredBelowTop: Set<String> = []

        init(converter: SourceLocationConverter) {
            self.converter = converter
            super.init(viewMode: .sourceAccurate)
        }

        func place(_ node: some SyntaxProtocol, _ name: String) -> Place {
            let location = converter.location(for: node.positionAfterSkippingLeadingTrivia)
            return Place(name: name, line: location.line, column: location.column)
        }

        override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
            // `y` in `x.y` names a member, not a variable of the chapter.
            if let member = node.parent?.as(MemberAccessExprSyntax.self), member.declName.id == node.id { return .skipChildren }
            uses.append(place(node, node.baseName.text))
            return .skipChildren
        }

        override func visit(_ node: IdentifierPatternSyntax) -> SyntaxVisitorContinueKind {
            // Not at the top level: inside a function, closure or statement of the block.
            if isNested(node) { declaredBelowTop.insert(node.identifier.text) } else { declared.insert(node.identifier.text) }
            return .skipChildren
        }

        override func visit(_ node: FunctionParameterSyntax) -> SyntaxVisitorContinueKind {
            declaredBelowTop.insert((node.secondName ?? node.firstName).text)
            return .visitChildren
        }

        override func visit(_ node: ClosureShorthandParameterSyntax) -> SyntaxVisitorContinueKind {
            declaredBelowTop.insert(node.name.text)
            return .skipChildren
        }

        override func visit(_ node: ClosureParameterSyntax) -> SyntaxVisitorContinueKind {
            declaredBelowTop.insert((node.secondName ?? node.firstName).text)
            return .visitChildren
        }

        override func visit(_ node: SequenceExprSyntax) -> SyntaxVisitorContinueKind {
            // Operators are not folded here: `x += 1` is the sequence [x, +=, 1].
            let elements = Array(node.elements)
            for (index, element) in elements.enumerated() where index > 0 {
                if BlockSyntax.isAssignment(element), let root = BlockSyntax.root(of: elements[index - 1]) { changes.append(place(root, root.baseName.text)) }
            }
            return .visitChildren
        }

        override func visit(_ node: InOutExprSyntax) -> SyntaxVisitorContinueKind {
            if let root = BlockSyntax.root(of: node.expression) { changes.append(place(root, root.baseName.text)) }
            return .visitChildren
        }

        override func visit(_ node: FunctionCallExprSyntax) -> SyntaxVisitorContinueKind {
            if let member = node.calledExpression.as(MemberAccessExprSyntax.self), let base = member.base,
               BlockSyntax.mutatingMethods.contains(member.declName.baseName.text), let root = BlockSyntax.root(of: base) {
                changes.append(place(root, root.baseName.text))
            }
            return .visitChildren
        }

        private func isNested(_ node: some SyntaxProtocol) -> Bool {
            var current = node.parent
            while let parent = current {
                if parent.is(CodeBlockItemSyntax.self) {
                    // A top-level item's parent chain reaches the source file without another block.
                    return parent.parent?.parent?.is(SourceFileSyntax.self) == false
                }
                current = parent.parent
            }
            return false
        }
    }
}
