import CCairo
import Foundation
import OpsbotSupport

public struct ChartError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Draws a `ChartSpec` to PNG with Cairo (loaded on first use, see `CCairo`). Renders are
/// serialized: they take milliseconds and happen a few times a day.
public enum ChartRenderer {
    static let lock = NSLock()

    /// Width and height are clamped to what Telegram accepts for a photo (≤ 10000 px together, ratio ≤ 20).
    public static func png(_ spec: ChartSpec) throws -> Data {
        var spec = spec
        spec.width = min(max(spec.width, 320), 2000)
        spec.height = min(max(spec.height, 200), 2000)
        lock.lock()
        defer { lock.unlock() }
        try load()
        guard let surface = cc_image_surface_create(CAIRO_FORMAT_RGB24, Int32(spec.width), Int32(spec.height)) else {
            throw ChartError("cairo could not create a \(spec.width)×\(spec.height) image")
        }
        defer { cc_surface_destroy(surface) }
        guard let cr = cc_create(surface) else { throw ChartError("cairo could not create a context") }
        defer { cc_destroy(cr) }
        Painter(cr: cr, spec: spec, layout: ChartLayout(spec)).draw()
        let st = cc_status(cr)
        guard st == CAIRO_STATUS_SUCCESS else { throw ChartError("cairo drawing failed (status \(st.rawValue))") }
        return try encode(surface)
    }

    /// Drops Cairo's caches and unloads it (the next chart loads it again).
    public static func unload() {
        lock.lock()
        defer { lock.unlock() }
        ccairo_unload()
    }

    public static var isLoaded: Bool { ccairo_loaded() != 0 }

    /// Loads libcairo.so.2 when it is not loaded yet.
    static func load() throws {
        if ccairo_loaded() != 0 { return }
        var err = [CChar](repeating: 0, count: 256)
        if ccairo_load(&err, err.count) != 0 {
            throw ChartError(String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }

    static func encode(_ surface: OpaquePointer) throws -> Data {
        final class Sink { var data = Data() }
        let sink = Sink()
        let st = cc_surface_write_to_png_stream(surface, { closure, bytes, length in
            let sink = Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue()
            if let bytes { sink.data.append(bytes, count: Int(length)) }
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        guard st == CAIRO_STATUS_SUCCESS else { throw ChartError("cairo could not encode the PNG (status \(st.rawValue))") }
        return sink.data
    }

    /// A decoded PNG: size and RGB pixels (tests sample them; the decoder is Cairo's libpng).
    public struct Image: Sendable {
        public var width: Int
        public var height: Int
        /// 0xRRGGBB per pixel, row by row.
        public var pixels: [UInt32]
        public func rgb(_ x: Int, _ y: Int) -> (r: Int, g: Int, b: Int) {
            let p = pixels[y * width + x]
            return (Int((p >> 16) & 0xff), Int((p >> 8) & 0xff), Int(p & 0xff))
        }
    }

    public static func decode(_ png: Data) throws -> Image {
        lock.lock()
        defer { lock.unlock() }
        try load()
        final class Source { var data: Data; var offset = 0; init(_ d: Data) { data = d } }
        let src = Source(png)
        let surface = cc_image_surface_create_from_png_stream({ closure, buf, length in
            let src = Unmanaged<Source>.fromOpaque(closure!).takeUnretainedValue()
            let n = Int(length)
            guard let buf, src.offset + n <= src.data.count else { return CAIRO_STATUS_READ_ERROR }
            src.data.copyBytes(to: buf, from: src.offset..<(src.offset + n))
            src.offset += n
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(src).toOpaque())
        guard let surface else { throw ChartError("not a PNG") }
        defer { cc_surface_destroy(surface) }
        guard cc_surface_status(surface) == CAIRO_STATUS_SUCCESS else { throw ChartError("not a PNG") }
        cc_surface_flush(surface)
        let w = Int(cc_image_surface_get_width(surface)), h = Int(cc_image_surface_get_height(surface))
        let stride = Int(cc_image_surface_get_stride(surface))
        guard let data = cc_image_surface_get_data(surface) else { throw ChartError("no pixels") }
        var pixels = [UInt32](repeating: 0, count: w * h)
        data.withMemoryRebound(to: UInt8.self, capacity: stride * h) { base in
            for y in 0..<h {
                let row = UnsafeRawPointer(base + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<w { pixels[y * w + x] = row[x] & 0xffffff }
            }
        }
        return Image(width: w, height: h, pixels: pixels)
    }
}
