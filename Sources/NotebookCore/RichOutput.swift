/// What a block shows besides its printed text: data, not strings. A block emits an output once;
/// each writer (`MarkdownWriter`, `HTMLWriter`, `TerminalWriter`) formats it for its target.
public enum RichOutput: Codable, Sendable, Equatable {
    /// Preformatted text, as `show(_:)` produces it.
    case text(String)
    case table(Table)
    case plot(Plot)
}

/// A table with named columns; numbers keep their value so each writer formats them alike.
public struct Table: Codable, Sendable, Equatable {
    public var title: String?
    public var columns: [Column]
    public var rows: [[Cell]]

    public init(title: String? = nil, columns: [Column], rows: [[Cell]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    public struct Column: Codable, Sendable, Equatable {
        public var name: String
        public var format: NumberFormat

        public init(_ name: String, format: NumberFormat = .automatic) {
            self.name = name
            self.format = format
        }
    }

    public enum Cell: Codable, Sendable, Equatable {
        case text(String)
        case integer(Int)
        case number(Double)
    }
}

/// How a column prints its numbers.
public enum NumberFormat: Codable, Sendable, Equatable {
    /// Significant digits, switching to scientific notation for very small or large magnitudes.
    case automatic
    /// `digits` significant digits.
    case significant(Int)
    /// Always scientific, with `digits` significant digits.
    case scientific(Int)
    /// Fixed point with `digits` after the decimal point.
    case fixed(Int)
}

/// A plot as data: its kind, its series and its axes.
public struct Plot: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case line, scatter, bar, histogram, heatmap, sparkline }
    public enum Scale: String, Codable, Sendable { case linear, log10 }

    public struct Series: Codable, Sendable, Equatable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public init(name: String, x: [Double], y: [Double]) {
            self.name = name
            self.x = x
            self.y = y
        }
    }

    public var kind: Kind
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xScale: Scale
    public var yScale: Scale
    public var series: [Series]
    /// Category labels of a bar plot, rows and columns of a heatmap.
    public var labels: [String]
    public var columnLabels: [String]
    /// Heatmap cells, row-major.
    public var matrix: [[Double]]

    public init(kind: Kind, title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                xScale: Scale = .linear, yScale: Scale = .linear, series: [Series] = [],
                labels: [String] = [], columnLabels: [String] = [], matrix: [[Double]] = []) {
        self.kind = kind
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.series = series
        self.labels = labels
        self.columnLabels = columnLabels
        self.matrix = matrix
    }
}
