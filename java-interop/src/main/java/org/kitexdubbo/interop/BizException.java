package org.kitexdubbo.interop;

/** The IDL's exception BizException: a checked exception with fields of its own. */
public class BizException extends Exception {
    public String code;
    public int detail;

    public BizException() {}

    public BizException(String code, int detail) {
        super("biz " + code);
        this.code = code;
        this.detail = detail;
    }
}
