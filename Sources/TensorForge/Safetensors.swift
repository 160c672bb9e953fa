import Foundation

/// Reading and writing the safetensors format (an 8-byte little-endian header length, a JSON
/// header, then raw little-endian tensor data), so weights move between PyTorch and TensorForge.
public enum Safetensors {
    /// Reads every tensor in the file as Doubles (F64, F32, F16, BF16 and the integer and bool
    /// dtypes are all accepted). Throws a `SafetensorsError` that says what is wrong and where.
    public static func load(path: String) throws(SafetensorsError) -> [String: Tensor] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SafetensorsError(path: path, problem: .unreadable(error.localizedDescription))
        }
        return try decode(data, source: path)
    }

    /// Decodes safetensors bytes; `source` names them in errors.
    public static func decode(_ data: Data, source: String = "<data>") throws(SafetensorsError) -> [String: Tensor] {
        func fail(_ problem: SafetensorsError.Problem) -> SafetensorsError { SafetensorsError(path: source, problem: problem) }
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw fail(.tooShort(bytes.count)) }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail(.headerLengthOutOfRange(headerLength, fileSize: bytes.count))
        }
        let headerEnd = 8 + Int(headerLength)
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw fail(.headerNotJSON(String(describing: error)))
        }
        guard let header = json as? [String: Any] else { throw fail(.headerNotObject) }
        let dataSize = bytes.count - headerEnd
        var result: [String: Tensor] = [:]
        for (key, value) in header where key != "__metadata__" {
            guard let entry = value as? [String: Any] else { throw fail(.malformedEntry(key, "is not a JSON object")) }
            guard let dtypeName = entry["dtype"] as? String else { throw fail(.malformedEntry(key, "has no \"dtype\" string")) }
            guard let dtype = DType(rawValue: dtypeName) else { throw fail(.unsupportedDType(key, dtypeName)) }
            guard let shapeValues = entry["shape"] as? [Any], let shape = integers(shapeValues), shape.allSatisfy({ $0 >= 0 }) else {
                throw fail(.malformedEntry(key, "has no \"shape\" list of non-negative integers"))
            }
            guard let offsetValues = entry["data_offsets"] as? [Any], let offsets = integers(offsetValues), offsets.count == 2 else {
                throw fail(.malformedEntry(key, "has no \"data_offsets\" pair of integers"))
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw fail(.offsetsOutOfRange(key, begin: begin, end: end, dataSize: dataSize))
            }
            // The dimensions other than zeros must multiply within Int even when the tensor is
            // empty: strides and printing are computed from them.
            let (extent, overflow) = shape.filter { $0 != 0 }.reduce((1, false)) { acc, d in
                let (p, o) = acc.0.multipliedReportingOverflow(by: d)
                return (p, acc.1 || o)
            }
            let count = shape.contains(0) ? 0 : extent
            guard !overflow, count.multipliedReportingOverflow(by: dtype.size).overflow == false,
                  count * dtype.size == end - begin else {
                throw fail(.sizeMismatch(key, shape: shape, dtype: dtypeName, bytes: end - begin))
            }
            let start = headerEnd + begin
            let values = (0..<count).map { dtype.read(bytes, at: start + $0 * dtype.size) }
            result[key] = Tensor(scalars: values, shape: shape)
        }
        return result
    }

    /// Writes tensors as F64 (keys sorted), with optional string metadata.
    public static func save(_ tensors: [String: Tensor], path: String, metadata: [String: String] = [:]) throws(SafetensorsError) {
        do {
            try encode(tensors, metadata: metadata).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SafetensorsError(path: path, problem: .unwritable(error.localizedDescription))
        }
    }

    /// The safetensors bytes for `tensors`, stored as F64.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> Data {
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        let keys = tensors.keys.sorted()
        for key in keys {
            let t = tensors[key]!
            let size = t.count * 8
            entries.append("\(jsonString(key)):{\"dtype\":\"F64\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        let length = UInt64(header.count)
        for i in 0..<8 { bytes.append(UInt8((length >> (8 * UInt64(i))) & 0xFF)) }
        bytes += header
        for key in keys {
            for v in tensors[key]!.storage {
                let bits = v.bitPattern.littleEndian
                for i in 0..<8 { bytes.append(UInt8((bits >> (8 * UInt64(i))) & 0xFF)) }
            }
        }
        return Data(bytes)
    }

    private static func integers(_ values: [Any]) -> [Int]? {
        var result: [Int] = []
        for v in values {
            guard let number = v as? NSNumber, let i = Int(exactly: number.doubleValue) else { return nil }
            result.append(i)
        }
        return result
    }

    private static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Element types of the format that TensorForge reads.
    enum DType: String {
        case F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL

        var size: Int {
            switch self {
            case .F64, .I64, .U64: return 8
            case .F32, .I32, .U32: return 4
            case .F16, .BF16, .I16, .U16: return 2
            case .I8, .U8, .BOOL: return 1
            }
        }

        func read(_ b: [UInt8], at i: Int) -> Double {
            func unsigned(_ n: Int) -> UInt64 {
                var v: UInt64 = 0
                for k in 0..<n { v |= UInt64(b[i + k]) << (8 * UInt64(k)) }
                return v
            }
            switch self {
            case .F64: return Double(bitPattern: unsigned(8))
            case .F32: return Double(Float(bitPattern: UInt32(unsigned(4))))
            case .F16: return halfToDouble(UInt16(unsigned(2)))
            case .BF16: return Double(Float(bitPattern: UInt32(unsigned(2)) << 16))
            case .I64: return Double(Int64(bitPattern: unsigned(8)))
            case .I32: return Double(Int32(bitPattern: UInt32(unsigned(4))))
            case .I16: return Double(Int16(bitPattern: UInt16(unsigned(2))))
            case .I8: return Double(Int8(bitPattern: b[i]))
            case .U64: return Double(unsigned(8))
            case .U32: return Double(unsigned(4))
            case .U16: return Double(unsigned(2))
            case .U8, .BOOL: return Double(b[i])
            }
        }

        private func halfToDouble(_ h: UInt16) -> Double {
            let sign: Double = (h & 0x8000) != 0 ? -1 : 1
            let exponent = Int((h >> 10) & 0x1F), fraction = Double(h & 0x3FF)
            if exponent == 0 { return sign * fraction * 0x1p-24 }
            if exponent == 31 { return fraction == 0 ? sign * .infinity : .nan }
            return sign * (1 + fraction / 1024) * Foundation.pow(2, Double(exponent - 15))
        }
    }
}

/// A safetensors file that could not be read or written, with the file and the problem.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// What is wrong.
    public enum Problem: Equatable, Sendable {
        case unreadable(String)
        case unwritable(String)
        case tooShort(Int)
        case headerLengthOutOfRange(UInt64, fileSize: Int)
        case headerNotJSON(String)
        case headerNotObject
        case malformedEntry(String, String)
        case unsupportedDType(String, String)
        case offsetsOutOfRange(String, begin: Int, end: Int, dataSize: Int)
        case sizeMismatch(String, shape: [Int], dtype: String, bytes: Int)
    }
    /// The file (or the name given to `decode`).
    public let path: String
    public let problem: Problem

    public var description: String {
        let what: String
        switch problem {
        case .unreadable(let reason):
            what = "cannot be read (\(reason)); check the path and permissions"
        case .unwritable(let reason):
            what = "cannot be written (\(reason)); check that the folder exists and is writable"
        case .tooShort(let size):
            what = "is \(size) bytes long, too short for the 8-byte header length; it is not a safetensors file"
        case .headerLengthOutOfRange(let length, let size):
            what = "declares a header of \(length) bytes but the file has only \(size) bytes; the file is truncated or not safetensors"
        case .headerNotJSON(let detail):
            what = "has a header that is not valid JSON (\(detail))"
        case .headerNotObject:
            what = "has a JSON header that is not an object of tensor entries"
        case .malformedEntry(let key, let issue):
            what = "has an entry \"\(key)\" that \(issue)"
        case .unsupportedDType(let key, let dtype):
            what = "stores \"\(key)\" as dtype \"\(dtype)\", which TensorForge cannot read (F64, F32, F16, BF16, I8–I64, U8–U64, BOOL are supported)"
        case .offsetsOutOfRange(let key, let begin, let end, let size):
            what = "gives \"\(key)\" data offsets [\(begin), \(end)] outside the \(size) bytes of data"
        case .sizeMismatch(let key, let shape, let dtype, let bytes):
            what = "gives \"\(key)\" \(bytes) bytes, which does not match shape \(shape) of dtype \(dtype)"
        }
        return "\(path): error: the safetensors file \(what)."
    }
}
