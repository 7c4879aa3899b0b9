

/// DNS response codes.
public enum RCode {
    public static let noError: UInt8 = 0
    public static let formErr: UInt8 = 1
    public static let servFail: UInt8 = 2
    public static let nxDomain: UInt8 = 3
    public static let notImp: UInt8 = 4
    public static let refused: UInt8 = 5
    public static let notAuth: UInt8 = 9
    /// Extended rcode 16 (BADVERS): 1 in the OPT's upper bits.
    public static let badVersExtended: UInt8 = 1
}
