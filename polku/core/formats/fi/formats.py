# Finnish formats: 24.11.2026, 1 234,50
DATE_FORMAT = "j.n.Y"
SHORT_DATE_FORMAT = "j.n.Y"
DATETIME_FORMAT = "j.n.Y H.i"
SHORT_DATETIME_FORMAT = "j.n.Y H.i"
TIME_FORMAT = "H.i"
TIME_INPUT_FORMATS = ["%H.%M", "%H:%M", "%H.%M.%S"]  # the first one fills time fields
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H.%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
