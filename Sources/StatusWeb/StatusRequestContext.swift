import Foundation
public import Hummingbird
import LifeboatCore
import NIOCore

/// The request context of the status server: `/api/v1` answers are encoded by `APIEncoder`.
public struct StatusRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var responseEncoder: APIEncoder { APIEncoder() }
}
