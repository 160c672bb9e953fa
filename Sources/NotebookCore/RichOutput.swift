/// What a block shows besides its printed text: data, not strings. A block emits an output once;
/// each writer (`MarkdownWriter`, `HTMLWriter`, `TerminalWriter`) formats it for its target.
public enum RichOutput: Codable, Sendable, Equatable {
    /// Preformatted text, as `show(_:)` produces it.
    case text(String)
    case table(Table)
    case plot(Plot)
}

/// A table with named columns; numbers keep their value so each writer formats them alike.
///
/// ```swift
/// let table = Table(columns: [.init("layer"), .init("‖grad‖₂", format: .scientific(3))],
///                   rows: [[.text("0.weight"), .number(1.2e-58)]])
/// ```
public struct Table: Codable, Sendable, Equatable {
    public var title: String?
    public var columns: [Column]
    public var rows: [[Cell]]
    /// Remarks shown under the table, such as what was done with rows of the wrong length.
    public var notes: [String]

    public init(title: String? = nil, columns: [Column], rows: [[Cell]], notes: [String] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.notes = notes
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
    /// Four significant digits, switching to scientific notation below 1e-3 and from 1e6 on.
    case automatic
    /// `digits` significant digits, switching to scientific notation like `automatic`.
    case significant(Int)
    /// Always scientific, with `digits` significant digits: `1.23e-60`.
    case scientific(Int)
    /// Fixed point with `digits` after the decimal point.
    case fixed(Int)
    /// A fraction as a percentage with `digits` after the decimal point: 0.455 → `45.5%`.
    case percent(Int)
}

/// A plot as data: its kind, its series and its axes. Build one with the constructors in
/// `Plot+Kinds.swift` (`Plot.line`, `Plot.histogram`, …), which check the data and record notes.
public struct Plot: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case line, scatter, bar, histogram, heatmap, sparkline
    }
    public enum Scale: String, Codable, Sendable { case linear, log10 }
    /// How a heatmap's cells map to shades: `shared`, one range for every cell (on the plot's
    /// linear or log10 scale); `perRow`, each row from its own lowest to its highest value, for
    /// rows that differ by orders of magnitude; `diverging`, one range centred on 0 (on a log10
    /// scale, on 1), below it in one family of shades and above it in another, for a quantity
    /// whose sign is the point (a gradient ratio that shrinks or grows). The legend says which
    /// one is shown.
    public enum Shading: String, Codable, Sendable { case shared, perRow, diverging }

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
    /// Line, scatter and sparkline: the series. Bar: one series whose `y` are the values.
    /// Histogram: one series whose `x` are the bin edges (one more than the counts) and `y` the counts.
    public var series: [Series]
    /// Category labels of a bar plot, rows of a heatmap.
    public var labels: [String]
    /// Columns of a heatmap.
    public var columnLabels: [String]
    /// Heatmap cells, row-major.
    public var matrix: [[Double]]
    /// A heatmap's shading; `nil` is `.shared` (and what plots recorded before it existed decode to).
    public var shading: Shading?
    /// Remarks the constructor made about the data (mismatched lengths, values outside the bins);
    /// writers print them under the plot, after their own notes on points not drawn.
    public var notes: [String]
    /// Size of the drawing area in character cells; `nil` picks a size that fits 80 columns.
    public var width: Int?
    public var height: Int?

    public init(kind: Kind, title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                xScale: Scale = .linear, yScale: Scale = .linear, series: [Series] = [],
                labels: [String] = [], columnLabels: [String] = [], matrix: [[Double]] = [],
                notes: [String] = [], width: Int? = nil, height: Int? = nil, shading: Shading? = nil) {
        self.kind = kind
        self.shading = shading
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.series = series
        self.labels = labels
        self.columnLabels = columnLabels
        self.matrix = matrix
        self.notes = notes
        self.width = width
        self.height = height
    }
}
