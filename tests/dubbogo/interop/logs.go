package interop

import (
	getty "github.com/apache/dubbo-getty"
	gostlogger "github.com/dubbogo/gost/log/logger"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// QuietLogs sends dubbo-go's and getty's logs to stderr at warn level and
// above, so a program's stdout carries only its own lines. Call it after
// dubbo.NewInstance, which installs dubbo-go's logger (on stdout).
func QuietLogs() {
	cfg := zap.NewProductionConfig()
	cfg.Level = zap.NewAtomicLevelAt(zapcore.WarnLevel)
	cfg.Encoding = "console"
	cfg.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	cfg.OutputPaths = []string{"stderr"}
	cfg.ErrorOutputPaths = []string{"stderr"}
	cfg.DisableStacktrace = true
	l, err := cfg.Build(zap.AddCaller(), zap.AddCallerSkip(1))
	if err != nil {
		_ = getty.SetLoggerLevel(getty.LoggerLevelWarn)
		return
	}
	gostlogger.SetLogger(l.Sugar())
	getty.SetLogger(l.Sugar())
}
