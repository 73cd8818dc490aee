"""Letters to out-of-province schools (省外就读学生资助政策落实函) and their tracking."""
